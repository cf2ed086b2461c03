// Licensed under the Apache License, Version 2.0.
//
// Main.cs: runs every area of the suite against a running server.
//
//   mono pc2client.exe SERVER-URL [AREA...]
//
// SERVER-URL is http://host:port (the test server); the PlanCare2 API is
// at /PlanCare2Api/, the patient API at /api/Calendar/ (t/conf/
// extra.conf.in).  An area is a class implementing IArea (one file per
// area, found by reflection): adding an area is adding a file.  Prints
// one TAP line per assertion and, last, "# done PASSED FAILED".
using System;
using System.Linq;
using System.Reflection;

namespace AmClient
{
    public interface IArea
    {
        string Name { get; }
        void Run(Ctx c);
    }

    public class Ctx
    {
        public string Server;
        public Api Pc2;         // /PlanCare2Api/, as user tester (admin, employee 1)
        public Api Patient;     // /api/Calendar/
        public string User = "tester", Password = "tester";
    }

    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length < 1) {
                Console.Error.WriteLine("usage: pc2client.exe SERVER-URL [AREA...]");
                return 2;
            }
            var c = new Ctx { Server = args[0].TrimEnd('/') };
            c.Pc2 = Login.Open(c, c.Server + "/PlanCare2Api/");
            c.Patient = new Api(c.Server + "/api/Calendar/", c.User, c.Password);
            var areas = Assembly.GetExecutingAssembly().GetTypes()
                .Where(t => typeof(IArea).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract)
                .Select(t => (IArea)Activator.CreateInstance(t))
                .OrderBy(a => a.Name, StringComparer.Ordinal)
                .Where(a => args.Length < 2 || args.Skip(1).Contains(a.Name))
                .ToList();
            foreach (var a in areas) {
                Tap.Area(a.Name);
                try {
                    a.Run(c);
                }
                catch (Exception e) {
                    Tap.Ok(false, "runs to its end", Tap.Unwrap(e) + "\n" + e.StackTrace);
                }
            }
            Tap.Area("");
            c.Pc2.Close();
            c.Patient.Close();
            Console.WriteLine("# done " + Tap.Passed + " " + Tap.Failed);
            Console.Out.Flush();
            return Tap.Failed == 0 ? 0 : 1;
        }
    }

    // How the suite logs in: HTTP Basic (the module's login is httpd's
    // authentication until the service has its token route).
    public static class Login
    {
        public static Api Open(Ctx c, string root)
        {
            return new Api(root, c.User, c.Password);
        }
    }
}
