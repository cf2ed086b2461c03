// Licensed under the Apache License, Version 2.0.
//
// Main.cs: runs every area of the suite against a running server.
//
//   mono pc2client.exe SERVER-URL [--login basic|token] [AREA...]
//
// SERVER-URL is http://host:port (the test server).  With --login basic
// (the default) the suite uses /PlanCare2Api/ and /api/Calendar/ with
// HTTP Basic; with --login token /token/PlanCare2Api/ and
// /token/api/Calendar/, logging in as a PlanCare2 client does: POST
// {mount}/token (OAuth 2.0 password grant), then "Authorization: Bearer"
// (t/conf/extra.conf.in).  An area is a class implementing IArea (one file per
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
            var rest = args.Skip(1).ToList();
            string mode = "basic";
            if (rest.Count >= 2 && rest[0] == "--login") {
                mode = rest[1];
                rest = rest.Skip(2).ToList();
            }
            string pre = mode == "token" ? "/token" : "";
            Tap.Area("login");
            c.Pc2 = Login.Open(c, mode, c.Server + pre + "/PlanCare2Api/");
            c.Patient = Login.Open(c, mode, c.Server + pre + "/api/Calendar/");
            if (c.Pc2 == null || c.Patient == null) {
                Console.WriteLine("# done " + Tap.Passed + " " + (Tap.Failed + 1));
                return 1;
            }
            var areas = Assembly.GetExecutingAssembly().GetTypes()
                .Where(t => typeof(IArea).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract)
                .Select(t => (IArea)Activator.CreateInstance(t))
                .OrderBy(a => a.Name, StringComparer.Ordinal)
                .Where(a => rest.Count == 0 || rest.Contains(a.Name))
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

}
