// Licensed under the Apache License, Version 2.0.
//
// Dates.cs: date-times with every tick set, so that a round trip proves
// the 100 ns.
using System;

namespace AmClient
{
    public static class Dates
    {
        // A UTC instant with 7 fraction digits: day d of June 2027 at h:m.
        public static DateTime At(int day, int h, int m, long ticks = 2915874)
        {
            return new DateTime(2027, 6, day, h, m, 26, DateTimeKind.Utc).AddTicks(ticks);
        }

        // "2027-06-dd" as a query argument (a date without time).
        public static string Day(DateTime d)
        {
            return d.ToString("yyyy-MM-dd");
        }

        // An ISO 8601 query argument, to the tick.
        public static string Iso(DateTime d)
        {
            return Uri.EscapeDataString(d.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"));
        }
    }
}
