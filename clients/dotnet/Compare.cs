// Licensed under the Apache License, Version 2.0.
//
// Compare.cs: member-by-member comparison of two data contracts, one
// assertion per [DataMember] (nested contracts and lists member by
// member), date-times to the 100 ns tick.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.Serialization;

namespace AmClient
{
    public static class Compare
    {
        public static IEnumerable<PropertyInfo> Members(Type t)
        {
            // Base class members first, as DataContractSerializer orders them.
            var chain = new List<Type>();
            for (var b = t; b != null && b != typeof(object); b = b.BaseType) chain.Insert(0, b);
            foreach (var c in chain) {
                foreach (var p in c.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                                   .OrderBy(p => p.Name, StringComparer.Ordinal)) {
                    if (p.GetCustomAttributes(typeof(DataMemberAttribute), true).Length > 0) yield return p;
                }
            }
        }

        // got against exp, every member except those in skip; name
        // prefixes each assertion.  Returns the number of differences.
        public static int All(object got, object exp, string name, params string[] skip)
        {
            if (got == null || exp == null) {
                return Tap.Eq(got == null ? null : "(object)", exp == null ? null : "(object)", name) ? 0 : 1;
            }
            int bad = 0;
            foreach (var p in Members(exp.GetType())) {
                if (skip.Contains(p.Name)) continue;
                var g = p.GetValue(got, null);
                var e = p.GetValue(exp, null);
                bad += Value(g, e, name + "." + p.Name);
            }
            return bad;
        }

        public static int Value(object g, object e, string name)
        {
            if (e != null && g != null && IsContract(e.GetType())) {
                return All(g, e, name);
            }
            if (e is IList && g is IList) {
                var gl = (IList)g;
                var el = (IList)e;
                if (!Tap.Eq(gl.Count, el.Count, name + " count")) return 1;
                int bad = 0;
                for (int i = 0; i < el.Count; i++) bad += Value(gl[i], el[i], name + "[" + i + "]");
                return bad;
            }
            return Tap.Eq(g, e, name) ? 0 : 1;
        }

        static bool IsContract(Type t)
        {
            return t.GetCustomAttributes(typeof(DataContractAttribute), false).Length > 0;
        }

        // A copy of a contract (through Json.NET), to build expectations.
        public static T Copy<T>(T o)
        {
            return Api.FromJson<T>(Api.ToJson(o));
        }
    }
}
