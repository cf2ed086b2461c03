// Licensed under the Apache License, Version 2.0.
//
// KindTests.cs: the other client appointment kinds, completing and
// reopening, and ChangeEmployeeForOccurrence, as a typed client uses
// them, in JSON and XML.
using System;
using System.Collections.Generic;
using System.Linq;
using AmClient.PlanCare2;

namespace AmClient
{
    public class KindTests : IArea
    {
        public string Name { get { return "kinds"; } }

        static T Fill<T>(T a, long client, int day) where T : ClientAppointment
        {
            a.ClientId = client;
            a.ClientName = "Client " + client;
            a.EmployeeId = 5;
            a.EmploymentId = 55;
            a.Start = Dates.At(day, 9, 0);
            a.End = Dates.At(day, 10, 0);
            a.Title = "Kind visit";
            a.Location = "Home";
            a.MovesToNextDay = false;
            a.IsAllDay = false;
            return a;
        }

        static RecurrenceInfo Daily3(DateTime start)
        {
            return new RecurrenceInfo {
                Range = RecurrenceRange.OccurrenceCount, OccurrenceCount = 3,
                Interval = RecurrenceType.Daily, Periodicity = 1,
                RecurrenceStart = start,
            };
        }

        // One kind: create, read, change, list, as its own type.
        static long Kind<T, TChange>(Ctx c, Fmt f, string coll, string change,
                                     T sent, Func<T, string> own)
            where T : ClientAppointment where TChange : T
        {
            var api = c.Pc2;
            var name = f + " " + typeof(T).Name + ": ";
            var made = api.Post<T, T>(f, "ClientAppointments/" + coll, sent);
            if (!Api.Check(made, 200, name + "POST " + coll)) return 0;
            var id = made.Value.Id;
            Tap.Eq(own(made.Value), own(sent), name + "its own members");
            Tap.Eq(made.Value.StatusChangedById, 0L, name + "StatusChangedById 0");
            var got = api.Get<T>(f, "ClientAppointments/" + coll + "/" + id
                                 + "?occurrenceRangeFrom=" + Dates.Day(sent.Start)
                                 + "&occurrenceRangeUntil=" + Dates.Day(sent.Start.AddDays(5)));
            if (Api.Check(got, 200, name + "GET " + coll + "/{id}")) {
                Tap.Eq(got.Value.RecurrenceOccurrences == null ? 0
                       : got.Value.RecurrenceOccurrences.Count, 3, name + "three occurrences");
                Tap.Eq(got.Value.EmployeeId, (long?)5, name + "EmployeeId");
            }
            var ch = Api.FromJson<TChange>(Api.ToJson(sent));
            ch.Id = id;
            ch.Title = "Kind visit (changed)";
            var changed = api.Post<TChange, T>(f, "ClientAppointments/" + change, ch);
            if (Api.Check(changed, 200, name + "POST " + change)) {
                Tap.Eq(changed.Value.Title, "Kind visit (changed)", name + "changed");
            }
            var list = api.Get<List<T>>(f, "ClientAppointments/" + coll + "?clientIds[0]=" + sent.ClientId
                                        + "&dateFrom=" + Dates.Day(sent.Start)
                                        + "&dateUntil=" + Dates.Day(sent.Start.AddDays(5)));
            if (Api.Check(list, 200, name + "its list")) {
                Tap.Eq(string.Join(",", list.Value.Select(x => x.Id)), id.ToString(), name + "holds it");
            }
            return id;
        }

        public void Run(Ctx c)
        {
            foreach (var f in new[] { Fmt.Json, Fmt.Xml }) {
                long client = f == Fmt.Json ? 92001 : 92002;
                int day = f == Fmt.Json ? 10 : 20;
                var ids = new List<long>();
                var act = Fill(new ActionAppointment { ActionIds = new List<long> { 5, 3 } }, client, day);
                act.RecurrenceInfo = Daily3(act.Start);
                var actId = Kind<ActionAppointment, ChangeOfActionAppointment>(
                    c, f, "ActionAppointments", "ChangeOfActionAppointments", act,
                    a => string.Join(",", a.ActionIds ?? new List<long>()));
                ids.Add(actId);
                var apa = Fill(new ArrangementProductActAppointment { ArrangementProductActIds = new List<long> { 11 } }, client, day);
                apa.RecurrenceInfo = Daily3(apa.Start);
                ids.Add(Kind<ArrangementProductActAppointment, ChangeOfArrangementProductActAppointment>(
                    c, f, "ArrangementProductActAppointments", "ChangeOfArrangementProductActAppointments", apa,
                    a => string.Join(",", a.ArrangementProductActIds ?? new List<long>())));
                var agr = Fill(new AgreementAppointment { AgreementId = 42 }, client, day);
                agr.RecurrenceInfo = Daily3(agr.Start);
                ids.Add(Kind<AgreementAppointment, ChangeOfAgreementAppointment>(
                    c, f, "AgreementAppointments", "ChangeOfAgreementAppointments", agr,
                    a => a.AgreementId.ToString()));
                var sub = Fill(new SubscriptionAppointment(), client, day);
                sub.RecurrenceInfo = Daily3(sub.Start);
                ids.Add(Kind<SubscriptionAppointment, ChangeOfSubscriptionAppointment>(
                    c, f, "subscriptionappointments", "ChangeOfSubscriptionAppointments", sub,
                    a => a.ClientName));
                var itv = Fill(new InterventionAppointment { InterventionId = new Guid("0e0c0a5e-5a11-4d1d-9c1a-0000000000bb") }, client, day);
                itv.RecurrenceInfo = Daily3(itv.Start);
                ids.Add(Kind<InterventionAppointment, ChangeOfInterventionAppointment>(
                    c, f, "InterventionAppointments", "ChangeOfInterventionAppointments", itv,
                    a => a.InterventionId.ToString()));
                var pcd = Fill(new PCDContractAppointment { ContractId = 1, ProductId = 2, ProjectId = "m1-home" }, client, day);
                pcd.RecurrenceInfo = Daily3(pcd.Start);
                ids.Add(Kind<PCDContractAppointment, ChangeOfPCDContractAppointment>(
                    c, f, "PCDContractAppointments", "ChangeOfPCDContractAppointments", pcd,
                    a => a.ProjectId));

                // The client's group calendar (flat Appointment items).
                var group = c.Pc2.Get<List<Appointment>>(f, "Appointments?clientIds[0]=" + client
                                                         + "&dateFrom=" + Dates.Day(act.Start)
                                                         + "&dateUntil=" + Dates.Day(act.Start.AddDays(5)));
                if (Api.Check(group, 200, f + " GET Appointments read as a list of Appointment")) {
                    Tap.Eq(string.Join(",", ids.Select(i => group.Value.Count(g => g.ParentPlannedItemId == i))),
                           string.Join(",", ids.Select(i => 3)), f + " every kind's occurrences in the group calendar");
                }

                Complete(c, f, client + 10, day + 4);
                if (actId > 0) Handover(c, f, actId, act);
            }
        }

        static AppointmentCompletion Done(long id, DateTime start)
        {
            return new AppointmentCompletion {
                Id = id, StartDateTime = start.AddMinutes(5), Duration = 50,
                EmploymentId = 12, ProductId = 2, Reason = "done",
                TravelDistance = 7, Cost = 12.5m, ClientSigned = true,
                OrganizationEntityId = new Identity { Identifier = "ORG-1", Type = IdentityType.ExternalId },
            };
        }

        static void Complete(Ctx c, Fmt f, long client, int day)
        {
            var api = c.Pc2;
            var sent = ContractTests.Sample(client, day);
            sent.EmployeeId = 5;
            var made = api.Post<ContractAppointment, ContractAppointment>(
                f, "ClientAppointments/ContractAppointments", sent);
            if (!Api.Check(made, 200, f + " a contract appointment to complete")) return;
            var id = made.Value.Id;
            var done = api.Post<AppointmentCompletion, ContractAppointment>(
                f, "Appointments/AppointmentCompletion", Done(id, sent.Start));
            if (Api.Check(done, 200, f + " POST Appointments/AppointmentCompletion, read as a ContractAppointment")) {
                Tap.Eq(done.Value.Status, PlannedItemStatus.Completed, f + " Status Completed");
                Tap.Eq(done.Value.StatusChangedById, 1L, f + " StatusChangedById: the user's employee");
                Tap.Eq(done.Value.Reason, "done", f + " Reason");
            }
            var twice = api.Send("POST", "Appointments/AppointmentCompletion", Api.Encode(f, Done(id, sent.Start)), f);
            Tap.Eq(twice.Status, 400, f + " completing twice: 400");
            var err = Tap.Try(() => HttpError.Read(f, twice.Body), f + " an HttpError");
            if (err != null) {
                Tap.Ok(err.ModelState.Keys.Any(k => k.EndsWith("Id")), f + " ModelState names Id",
                       string.Join(",", err.ModelState.Keys));
            }
            var re = api.Post<ClosedAppointment, ContractAppointment>(
                f, "Appointments/ReopenAppointment", new ClosedAppointment { Id = id, Reason = "again" });
            if (Api.Check(re, 200, f + " POST Appointments/ReopenAppointment")) {
                Tap.Eq(re.Value.Status, PlannedItemStatus.Created, f + " Created again");
            }

            // An occurrence of a series.
            var ser = ContractTests.Sample(client, day + 1);
            ser.RecurrenceInfo = Daily3(ser.Start);
            var s = api.Post<ContractAppointment, ContractAppointment>(
                f, "ClientAppointments/ContractAppointments", ser);
            if (!Api.Check(s, 200, f + " a contract series")) return;
            var occ = Done(0, ser.Start.AddDays(1));
            occ.ParentPlannedItemId = s.Value.Id;
            occ.OccurrenceIndex = 1;
            var od = api.Post<AppointmentCompletion, OccurrenceAppointment>(
                f, "Appointments/AppointmentCompletion", occ);
            if (Api.Check(od, 200, f + " an occurrence completed, read as an OccurrenceAppointment")) {
                Tap.Eq(od.Value.Status, PlannedItemStatus.Completed, f + " the occurrence is Completed");
                Tap.Eq(od.Value.OccurrenceIndex, 1, f + " occurrence 1");
                Tap.Ok(od.Value.Id > 0, f + " stored with an Id of its own");
            }
            occ.OccurrenceIndex = 3;
            var oor = api.Send("POST", "Appointments/AppointmentCompletion", Api.Encode(f, occ), f);
            Tap.Eq(oor.Status, 400, f + " an index out of range: 400");
            err = Tap.Try(() => HttpError.Read(f, oor.Body), f + " an HttpError");
            if (err != null) {
                Tap.Ok(err.ModelState.Keys.Any(k => k.EndsWith("OccurrenceIndex")),
                       f + " ModelState names OccurrenceIndex", string.Join(",", err.ModelState.Keys));
            }
        }

        static void Handover(Ctx c, Fmt f, long series, ActionAppointment sent)
        {
            var api = c.Pc2;
            var r = api.Post<ChangeEmployeeForOccurrence, EmployeeOccurrence>(
                f, "ClientAppointments/ChangeEmployeeForOccurrence",
                new ChangeEmployeeForOccurrence { ParentId = series, Id = 0, OccurrenceIndex = 2,
                                                  EmployeeId = 9, ContractOfServiceId = 91 });
            if (!Api.Check(r, 200, f + " POST ChangeEmployeeForOccurrence, read as an EmployeeOccurrence")) return;
            Tap.Ok(r.Value.Id > 0, f + " the new appointment's Id");
            Tap.Eq(r.Value.Type, AppointmentType.Normal, f + " its Type");
            var got = api.Get<ActionAppointment>(f, "ClientAppointments/ActionAppointments/" + r.Value.Id);
            if (Api.Check(got, 200, f + " the new appointment is an ActionAppointment")) {
                Tap.Eq(got.Value.EmployeeId, (long?)9, f + " for the other employee");
                Tap.Eq(got.Value.EmploymentId, (long?)91, f + " and employment");
                Tap.Eq(got.Value.Start, sent.Start.AddDays(2), f + " at the occurrence's time");
            }
        }
    }
}
