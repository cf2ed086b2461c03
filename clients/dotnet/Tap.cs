// Licensed under the Apache License, Version 2.0.
//
// Tap.cs: the suite's assertions.  Each one prints one TAP line
// ("ok - name" or "not ok - name" plus "# got/expected" lines); t/api/
// dotnet.t turns them into the Apache::Test suite's own lines.
using System;
using System.Collections.Generic;
using System.Globalization;

namespace AmClient
{
    public static class Tap
    {
        public static int Passed, Failed;
        static string area = "";

        public static void Area(string name) { area = name; }

        static string Name(string name)
        {
            return (area.Length > 0 ? area + ": " : "") + name.Replace('\n', ' ');
        }

        public static bool Ok(bool cond, string name, string detail = null)
        {
            if (cond) {
                Passed++;
                Console.WriteLine("ok - " + Name(name));
            }
            else {
                Failed++;
                Console.WriteLine("not ok - " + Name(name));
                if (detail != null) {
                    foreach (var l in detail.Split('\n')) {
                        Console.WriteLine("# " + l);
                    }
                }
            }
            return cond;
        }

        public static string Show(object o)
        {
            if (o == null) return "(null)";
            if (o is DateTime) {
                var d = (DateTime)o;
                return d.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture)
                       + " (ticks " + d.ToUniversalTime().Ticks + ")";
            }
            if (o is decimal) return ((decimal)o).ToString(CultureInfo.InvariantCulture);
            if (o is string) return "\"" + o + "\"";
            return Convert.ToString(o, CultureInfo.InvariantCulture);
        }

        // Values compared as .NET compares them; date-times as instants,
        // to the 100 ns tick.
        public static bool Same(object got, object exp)
        {
            if (got == null || exp == null) return got == null && exp == null;
            if (got is DateTime && exp is DateTime) {
                return ((DateTime)got).ToUniversalTime().Ticks
                       == ((DateTime)exp).ToUniversalTime().Ticks;
            }
            return got.Equals(exp);
        }

        public static bool Eq(object got, object exp, string name)
        {
            return Ok(Same(got, exp), name,
                      "got:      " + Show(got) + "\nexpected: " + Show(exp));
        }

        // An assertion for what throws: the exception is the failure.
        public static T Try<T>(Func<T> f, string name) where T : class
        {
            try {
                T r = f();
                Ok(r != null, name, "no value");
                return r;
            }
            catch (Exception e) {
                Ok(false, name, Unwrap(e));
                return null;
            }
        }

        public static string Unwrap(Exception e)
        {
            while (e is AggregateException && e.InnerException != null) {
                e = e.InnerException;
            }
            var s = e.GetType().Name + ": " + e.Message;
            if (e.InnerException != null) s += "\n" + Unwrap(e.InnerException);
            return s;
        }
    }
}
