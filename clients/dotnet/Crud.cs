// Licensed under the Apache License, Version 2.0.
//
// Crud.cs: the create / read back / change / delete round of one
// calendar's routes, every member compared after each step.
using System;

namespace AmClient
{
    public class Crud<T, TChange> where T : class where TChange : class
    {
        public string Create, Get, Change, Delete;  // Get and Delete: "{0}" is the id
        public Func<T, long, T> Expected;           // the answer for what was sent
        public Action<TChange> Modify;              // what the change changes

        // Returns the id (0 when the create failed).
        public long Round(Api api, Fmt f, T sent, string what)
        {
            var made = api.Post<T, T>(f, Create, sent);
            if (!Api.Check(made, 200, f + " POST " + Create + " is read as a " + typeof(T).Name)) return 0;
            var id = (long)typeof(T).GetProperty("Id").GetValue(made.Value, null);
            Tap.Ok(id > 0, f + " " + what + ": the answer carries the new Id");
            Tap.Ok((made.Reply.Header("Location") ?? "").EndsWith(string.Format(Get, id)),
                   f + " " + what + ": Location names it", made.Reply.Header("Location"));
            Compare.All(made.Value, Expected(sent, id), f + " " + what + " POST answer");

            var got = api.Get<T>(f, string.Format(Get, id));
            if (!Api.Check(got, 200, f + " " + what + ": GET " + Get)) return id;
            Compare.All(got.Value, Expected(sent, id), f + " " + what + " GET");

            if (Change != null) {
                var change = Api.FromJson<TChange>(Api.ToJson(sent));
                typeof(TChange).GetProperty("Id").SetValue(change, id, null);
                Modify(change);
                var changed = api.Post<TChange, T>(f, Change, change);
                if (Api.Check(changed, 200, f + " " + what + ": POST " + Change)) {
                    var exp = Expected(Api.FromJson<T>(Api.ToJson(change)), id);
                    Compare.All(changed.Value, exp, f + " " + what + " change answer");
                    got = api.Get<T>(f, string.Format(Get, id));
                    if (Api.Check(got, 200, f + " " + what + ": GET after the change")) {
                        Compare.All(got.Value, exp, f + " " + what + " GET after the change");
                    }
                }
            }
            if (Delete != null) {
                var del = api.Send("DELETE", string.Format(Delete, id), null, f);
                Tap.Eq(del.Status, 204, f + " " + what + ": DELETE " + Delete);
                var gone = api.Send("GET", string.Format(Get, id), null, f);
                Tap.Eq(gone.Status, 404, f + " " + what + ": GET of the deleted one");
                var err = Tap.Try(() => HttpError.Read(f, gone.Body), f + " " + what + ": the 404 body is an HttpError");
                if (err != null) Tap.Ok(!string.IsNullOrEmpty(err.Message), f + " " + what + ": it has a Message");
            }
            return id;
        }
    }
}
