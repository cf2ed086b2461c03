// Licensed under the Apache License, Version 2.0.
//
// ErrorTests.cs: error bodies read as ASP.NET's HttpError (Message and
// ModelState), in JSON and XML.  In XML the ModelState keys are element
// names written with XmlConvert.EncodeLocalName; the client decodes them
// with XmlConvert.DecodeName and must get the key back, brackets and all.
using System;
using System.Collections.Generic;
using System.Linq;
using AmClient.PlanCare2;
using AmClient.Patient;

namespace AmClient
{
    public class ErrorTests : IArea
    {
        public string Name { get { return "errors"; } }

        static HttpError Read(Reply r, Fmt f, int status, string name)
        {
            Tap.Eq(r.Status, status, name + ": status " + status);
            var e = Tap.Try(() => HttpError.Read(f, r.Body), name + ": the body is an HttpError");
            if (e != null) Tap.Ok(!string.IsNullOrEmpty(e.Message), name + ": it has a Message", r.Body);
            return e;
        }

        static void Key(HttpError e, string key, string name, string text = null)
        {
            if (e == null) return;
            string[] msgs;
            var has = e.ModelState.TryGetValue(key, out msgs);
            Tap.Ok(has, name + ": ModelState has " + key,
                   "keys: " + string.Join(", ", e.ModelState.Keys.ToArray()));
            if (has && text != null) {
                Tap.Ok(msgs.Any(m => m.Contains(text)), name + ": " + key + " says " + text, string.Join(" | ", msgs));
            }
        }

        public void Run(Ctx c)
        {
            foreach (var f in new[] { Fmt.Json, Fmt.Xml }) {
                // End before Start.
                var bad = ContractTests.Sample(91081, 25);
                bad.End = bad.Start.AddMinutes(-1);
                var r = c.Pc2.Send("POST", "ClientAppointments/ContractAppointments", Api.Encode(f, bad), f);
                var e = Read(r, f, 400, f + " End before Start");
                Key(e, "appointment.End", f + " End before Start", "End must not be before Start.");

                // An item of a collection: the key has brackets.
                var t = TeamTests.Sample(91082, 91083, 25);
                var body = Api.Encode(f, t);
                body = f == Fmt.Json ? body.Replace("91082]", "\"x\"]") : body.Replace(">91082<", ">x<");
                Tap.Ok(body.Contains("x"), f + " a body with a bad ClientIds item");
                r = c.Pc2.Send("POST", "TeamAppointments/TeamAppointments", body, f);
                e = Read(r, f, 400, f + " bad ClientIds[1]");
                Key(e, "appointment.ClientIds[1]", f + " bad ClientIds[1]");
                if (f == Fmt.Xml) {
                    Tap.Ok(r.Body.Contains("<appointment.ClientIds_x005B_1_x005D_>"),
                           f + " the key as XmlConvert.EncodeLocalName writes it", r.Body);
                }

                // Patient: model.Reasons[1].ReasonId.
                var m = new AppointmentModel {
                    UserId = Guid.NewGuid(), AccountId = Guid.NewGuid(), AppointmentOn = Dates.At(25, 9, 0),
                    Reason = "Bad reason id",
                    Reasons = new List<Reasons> { new Reasons { ReasonId = Guid.NewGuid() },
                                                  new Reasons { ReasonId = new Guid("11111111-2222-3333-4444-555555555555") } },
                };
                body = Api.Encode(f, m).Replace("11111111-2222-3333-4444-555555555555", "not-a-guid");
                r = c.Patient.Send("POST", "PatientAppointmentPost_v2", body, f);
                e = Read(r, f, 400, f + " patient bad Reasons[1].ReasonId");
                Key(e, "model.Reasons[1].ReasonId", f + " patient bad Reasons[1].ReasonId");

                // Required members missing: several keys at once.
                r = c.Patient.Send("POST", "PatientAppointmentPost_v2",
                                   f == Fmt.Json ? "{}" : "<AppointmentModel xmlns=\"" + AmClient.Patient.Ns.Models + "\"/>", f);
                e = Read(r, f, 400, f + " patient empty model");
                Key(e, "model.Reason", f + " patient empty model", "required");
                Key(e, "model.AppointmentOn", f + " patient empty model");

                // Not found, and an occurrence index a series does not have.
                r = c.Pc2.Send("GET", "TeamAppointments/987654321", null, f);
                Read(r, f, 404, f + " unknown team appointment");
                r = c.Patient.Send("GET", "PatientAppointmentGet/" + Guid.NewGuid(), null, f);
                Read(r, f, 404, f + " unknown patient appointment");
            }
        }
    }
}
