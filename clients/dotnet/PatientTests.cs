// Licensed under the Apache License, Version 2.0.
//
// PatientTests.cs: the DrCare patient routes as a typed client uses them,
// in JSON and XML: the three post routes, get, list, cancel, reschedule;
// every member compared; PaidAmount digit for digit; nulls.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AmClient.Patient;

namespace AmClient
{
    public class PatientTests : IArea
    {
        public string Name { get { return "patient"; } }

        static AppointmentModel Sample(Guid provider, Guid patient, DateTime on)
        {
            return new AppointmentModel {
                EncounterTypeId = Guid.NewGuid(), EncounterTypeModeDurationId = Guid.NewGuid(),
                ProviderId = provider, UserId = Guid.NewGuid(), PatientId = patient,
                SpecialityId = Guid.NewGuid(), AppointmentOn = on,
                SecondaryAppointmentOn = on.AddDays(1).AddTicks(3),
                Reason = "Check-up é", Note = "Fasting", ParentId = Guid.NewGuid(),
                ReferredParentId = Guid.NewGuid(), PaidAmount = 12.50m, AccountId = Guid.NewGuid(),
                ServiceId = Guid.NewGuid(), MethodId = 2, IsCustomFormFlow = "no", DocIds = "1,2",
                Reasons = new List<Reasons> { new Reasons { ReasonId = Guid.NewGuid() },
                                              new Reasons { ReasonId = Guid.NewGuid() } },
            };
        }

        // The answer: the server's id, the end (30 minutes, the default
        // duration), Booked, the user who booked it.
        static AppointmentModel Expected(AppointmentModel sent, Guid id)
        {
            var e = Compare.Copy(sent);
            e.Id = id;
            e.AppointmentEndOn = sent.AppointmentOn.AddMinutes(30);
            e.Status = AppointmentStatus.Booked;
            e.CancelReason = null;
            e.CreatedBy = "tester";
            return e;
        }

        public void Run(Ctx c)
        {
            var api = c.Patient;
            foreach (var f in new[] { Fmt.Json, Fmt.Xml }) {
                var provider = Guid.NewGuid();
                var patient = Guid.NewGuid();
                var routes = new[] { "PatientAppointmentPost_v2", "PatientAppointmentPost_v1", "PatientAppointmentPost" };
                var made = new List<AppointmentModel>();
                for (int i = 0; i < routes.Length; i++) {
                    var sent = Sample(provider, patient, Dates.At(10, 8 + i, 0, 1544841));
                    var r = api.Post<AppointmentModel, AppointmentModel>(f, routes[i], sent);
                    if (!Api.Check(r, 200, f + " POST " + routes[i] + " is read as an AppointmentModel")) continue;
                    Tap.Ok(r.Value.Id != Guid.Empty, f + " " + routes[i] + ": the answer carries the new Id");
                    var exp = Expected(sent, r.Value.Id);
                    Compare.All(r.Value, exp, f + " " + routes[i] + " answer");
                    if (f == Fmt.Json) {
                        Tap.Ok(r.Reply.Body.Contains("\"PaidAmount\":12.50"), f + " PaidAmount digit for digit (12.50)",
                               Api.Trim(r.Reply.Body));
                    }
                    Tap.Eq(r.Value.PaidAmount.ToString(CultureInfo.InvariantCulture), "12.50",
                           f + " " + routes[i] + ": PaidAmount reads as 12.50");
                    var g = api.Get<AppointmentModel>(f, "PatientAppointmentGet/" + r.Value.Id);
                    if (Api.Check(g, 200, f + " GET PatientAppointmentGet/{id}")) {
                        Compare.All(g.Value, exp, f + " " + routes[i] + " GET");
                    }
                    made.Add(exp);
                }

                // Only what is required: the nullable members are null,
                // PaidAmount and MethodId 0.
                var bare = new AppointmentModel {
                    UserId = Guid.NewGuid(), AccountId = Guid.NewGuid(),
                    AppointmentOn = Dates.At(11, 8, 0), Reason = "Bare",
                };
                var rb = api.Post<AppointmentModel, AppointmentModel>(f, "PatientAppointmentPost_v2", bare);
                if (Api.Check(rb, 200, f + " a bare AppointmentModel is booked and read")) {
                    Compare.All(rb.Value, Expected(bare, rb.Value.Id), f + " bare answer");
                    if (f == Fmt.Json) {
                        Tap.Ok(rb.Reply.Body.Contains("\"PaidAmount\":0") && rb.Reply.Body.Contains("\"MethodId\":0"),
                               f + " PaidAmount and MethodId are 0, not null", Api.Trim(rb.Reply.Body));
                    }
                    else {
                        Tap.Ok(rb.Reply.Body.Contains("<PaidAmount>0</PaidAmount>") && rb.Reply.Body.Contains("<MethodId>0</MethodId>"),
                               f + " PaidAmount and MethodId are 0, not nil", Api.Trim(rb.Reply.Body));
                    }
                }

                var l = api.Get<List<AppointmentModel>>(f, "PatientAppointmentList?providerId=" + provider
                    + "&from=2027-06-10&until=2027-06-11");
                if (Api.Check(l, 200, f + " GET PatientAppointmentList as List<AppointmentModel>")) {
                    if (f == Fmt.Xml) Tap.Ok(l.Reply.Body.StartsWith("<ArrayOfAppointmentModel "), f + " root ArrayOfAppointmentModel");
                    Compare.Value(l.Value, made, f + " patient list");
                }
                if (made.Count == 0) continue;

                var first = made[0];
                var moved = new AppointmentRescheduleModel { Id = first.Id, AppointmentOn = Dates.At(10, 15, 0, 77) };
                var rr = api.Post<AppointmentRescheduleModel, AppointmentModel>(f, "PatientAppointmentReschedule", moved);
                if (Api.Check(rr, 200, f + " POST PatientAppointmentReschedule")) {
                    var exp = Compare.Copy(first);
                    exp.AppointmentOn = moved.AppointmentOn;
                    exp.AppointmentEndOn = moved.AppointmentOn.AddMinutes(30);
                    Compare.All(rr.Value, exp, f + " rescheduled");
                    first = exp;
                }
                var cancel = new AppointmentCancelModel { Id = first.Id, Reason = "Ill" };
                var rc = api.Post<AppointmentCancelModel, AppointmentModel>(f, "PatientAppointmentCancel", cancel);
                if (Api.Check(rc, 200, f + " POST PatientAppointmentCancel")) {
                    var exp = Compare.Copy(first);
                    exp.Status = AppointmentStatus.Cancelled;
                    exp.CancelReason = "Ill";
                    Compare.All(rc.Value, exp, f + " cancelled");
                }
            }
        }
    }
}
