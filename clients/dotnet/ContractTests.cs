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
            var crud = new Crud<ContractAppointment, ChangeOfContractAppointment> {
                Create = "ClientAppointments/ContractAppointments",
                Get = "ClientAppointments/ContractAppointments/{0}",
                Change = "ClientAppointments/ChangeOfContractAppointments",
                Delete = "ClientAppointments/ContractAppointments/{0}",
                Expected = Expected,
                Modify = change => {
                    // A change is the whole appointment: members left out
                    // are cleared.
                    change.Title = "Wound care (changed)";
                    change.Start = Dates.At(2, 10, 0, 1234567);
                    change.End = Dates.At(2, 11, 30, 7654321);
                    change.TravelDuration = null;
                    change.OrganizationEntityId = null;
                    change.EmployeeId = null;
                    change.EmployeeName = null;
                    change.IsAllDay = true;
                },
            };
            crud.Round(c.Pc2, f, Sample(client, 1), "ContractAppointment");
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
