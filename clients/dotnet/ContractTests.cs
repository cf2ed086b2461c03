// Licensed under the Apache License, Version 2.0.
//
// ContractTests.cs: ClientAppointments/ContractAppointments as a typed
// client uses it, in JSON and XML: create, read back, change, delete;
// every member compared; nullable and non-nullable members.
using System;
using System.Collections.Generic;
using AmClient.PlanCare2;

namespace AmClient
{
    public class ContractTests : IArea
    {
        public string Name { get { return "contract"; } }

        public static ContractAppointment Sample(long client, int day)
        {
            return new ContractAppointment {
                ContractId = 11, ProductId = 22, ProductName = "Home care",
                CareTrajectId = 33, DOTLocationId = 44, WorkTypeId = 55,
                ProjectId = "P-66", ProjectName = "Project 66",
                OrganizationEntityId = new Identity { Identifier = "ORG-7", Type = IdentityType.ExternalId },
                TravelDuration = 25,
                ClientId = client, ClientName = "Client " + client,
                EmployeeId = 1, EmployeeName = "tester", EmploymentId = 88,
                Start = Dates.At(day, 8, 15), End = Dates.At(day, 9, 45, 1),
                Title = "Wound care", Remarks = "Ring twice", Location = "Home",
                MovesToNextDay = false, IsAllDay = false, ShiftId = 3,
            };
        }

        // What the server answers for sent: its members, plus what the
        // server sets.
        public static ContractAppointment Expected(ContractAppointment sent, long id)
        {
            var e = Compare.Copy(sent);
            e.Id = id;
            e.Status = PlannedItemStatus.Created;
            e.StatusChangedById = 0;
            e.StatusChangedByName = null;
            e.CreatedById = 1;
            e.CreatedByName = "tester";
            e.Reason = null;
            e.ContractLineId = null;
            e.ContractOfServiceId = e.EmploymentId;
            e.Type = AppointmentType.Normal;
            return e;
        }

        public void Run(Ctx c)
        {
            foreach (var f in new[] { Fmt.Json, Fmt.Xml }) {
                Round(c, f, f == Fmt.Json ? 91001 : 91002);
                Nulls(c, f, f == Fmt.Json ? 91003 : 91004);
            }
        }

        static void Round(Ctx c, Fmt f, long client)
        {
            var api = c.Pc2;
            var sent = Sample(client, 1);
            var made = api.Post<ContractAppointment, ContractAppointment>(
                f, "ClientAppointments/ContractAppointments", sent);
            if (!Api.Check(made, 200, f + " POST ContractAppointments is read as a ContractAppointment")) return;
            var id = made.Value.Id;
            Tap.Ok(id > 0, f + " the answer carries the new Id");
            Tap.Ok((made.Reply.Header("Location") ?? "").EndsWith("ClientAppointments/ContractAppointments/" + id),
                   f + " Location names it", made.Reply.Header("Location"));
            Compare.All(made.Value, Expected(sent, id), f + " POST answer");

            var got = api.Get<ContractAppointment>(f, "ClientAppointments/ContractAppointments/" + id);
            if (!Api.Check(got, 200, f + " GET ContractAppointments/{id}")) return;
            Compare.All(got.Value, Expected(sent, id), f + " GET");

            // A change: the whole appointment, members left out cleared.
            var change = Compare.Copy<ChangeOfContractAppointment>(
                Api.FromJson<ChangeOfContractAppointment>(Api.ToJson(sent)));
            change.Id = id;
            change.Title = "Wound care (changed)";
            change.Start = Dates.At(2, 10, 0, 1234567);
            change.End = Dates.At(2, 11, 30, 7654321);
            change.TravelDuration = null;
            change.OrganizationEntityId = null;
            change.EmployeeId = null;
            change.EmployeeName = null;
            change.IsAllDay = true;
            var changed = api.Post<ChangeOfContractAppointment, ContractAppointment>(
                f, "ClientAppointments/ChangeOfContractAppointments", change);
            if (Api.Check(changed, 200, f + " POST ChangeOfContractAppointments")) {
                var exp = Expected(Api.FromJson<ContractAppointment>(Api.ToJson(change)), id);
                Compare.All(changed.Value, exp, f + " change answer");
                got = api.Get<ContractAppointment>(f, "ClientAppointments/ContractAppointments/" + id);
                if (Api.Check(got, 200, f + " GET after the change")) {
                    Compare.All(got.Value, exp, f + " GET after the change");
                }
            }

            var del = api.Send("DELETE", "ClientAppointments/ContractAppointments/" + id, null, f);
            Tap.Eq(del.Status, 204, f + " DELETE ContractAppointments/{id}");
            var gone = api.Send("GET", "ClientAppointments/ContractAppointments/" + id, null, f);
            Tap.Eq(gone.Status, 404, f + " GET of the deleted one");
            var err = Tap.Try(() => HttpError.Read(f, gone.Body), f + " the 404 body is an HttpError");
            if (err != null) Tap.Ok(!string.IsNullOrEmpty(err.Message), f + " it has a Message");
        }

        // Only the required members: every nullable member comes back
        // null, every other one its default, and a client typed from the
        // pages reads it.
        static void Nulls(Ctx c, Fmt f, long client)
        {
            var sent = new ContractAppointment {
                ContractId = 1, ProductId = 2, ClientId = client,
                Start = Dates.At(3, 8, 0), End = Dates.At(3, 8, 30),
                Title = "Bare", MovesToNextDay = false, IsAllDay = false,
            };
            var made = c.Pc2.Post<ContractAppointment, ContractAppointment>(
                f, "ClientAppointments/ContractAppointments", sent);
            if (!Api.Check(made, 200, f + " a bare ContractAppointment is created and read")) return;
            var got = c.Pc2.Get<ContractAppointment>(f, "ClientAppointments/ContractAppointments/" + made.Value.Id);
            if (!Api.Check(got, 200, f + " read back by a client typed from the pages")) return;
            var g = got.Value;
            Tap.Eq(g.StatusChangedById, 0L, f + " StatusChangedById is 0, not null");
            Tap.Eq(g.ShiftId, 0L, f + " ShiftId is 0");
            Tap.Eq(g.EmployeeId, null, f + " EmployeeId is null (Nullable)");
            Tap.Eq(g.EmploymentId, null, f + " EmploymentId is null (Nullable)");
            Tap.Eq(g.CareTrajectId, null, f + " CareTrajectId is null (Nullable)");
            Tap.Eq(g.DOTLocationId, null, f + " DOTLocationId is null (Nullable)");
            Tap.Eq(g.WorkTypeId, null, f + " WorkTypeId is null (Nullable)");
            Tap.Eq(g.TravelDuration, null, f + " TravelDuration is null (Nullable)");
            Tap.Eq(g.OrganizationEntityId, null, f + " OrganizationEntityId is null");
            Tap.Eq(g.RecurrenceInfo, null, f + " RecurrenceInfo is null");
            if (f == Fmt.Json) {
                Tap.Ok(got.Reply.Body.Contains("\"StatusChangedById\":0"),
                       f + " the wire says \"StatusChangedById\":0", Api.Trim(got.Reply.Body));
            }
            else {
                Tap.Ok(got.Reply.Body.Contains(">0</StatusChangedById>"),
                       f + " the wire says <StatusChangedById>0<", Api.Trim(got.Reply.Body));
            }
        }
    }
}
