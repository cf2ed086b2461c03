// Licensed under the Apache License, Version 2.0.
//
// EmployeeTests.cs: EmployeeAppointments (the logged-on employee's own
// calendar) as a typed client uses them, in JSON and XML.
using System;
using AmClient.PlanCare2;

namespace AmClient
{
    public class EmployeeTests : IArea
    {
        public string Name { get { return "employee"; } }

        public static EmployeeAppointment Sample(int day)
        {
            return new EmployeeAppointment {
                EmployeeId = 5, EmployeeName = "not me",
                Start = Dates.At(day, 6, 45, 3), End = Dates.At(day, 7, 15, 4),
                Title = "Own time", Remarks = "Paperwork", Location = "Desk",
                MovesToNextDay = true, IsAllDay = false, ShiftId = 9,
            };
        }

        // The server's EmployeeId (the logged-on employee, 1) and name
        // (the directory's: "tester", see Name1).
        public static EmployeeAppointment Expected(EmployeeAppointment sent, long id)
        {
            var e = Compare.Copy(sent);
            e.Id = id;
            e.EmployeeId = 1;
            e.EmployeeName = "tester";
            e.Status = PlannedItemStatus.Created;
            e.StatusChangedById = 0;
            e.StatusChangedByName = null;
            e.CreatedById = 1;
            e.CreatedByName = "tester";
            e.Reason = null;
            e.Type = AppointmentType.Normal;
            return e;
        }

        // Employee 1 is named "tester" in the directory: a write that
        // names it (other test files name it otherwise).
        public static void Name1(Ctx c)
        {
            var s = ContractTests.Sample(91030, 6);
            s.EmployeeId = 1;
            s.EmployeeName = "tester";
            Api.Check(c.Pc2.Post<ContractAppointment, ContractAppointment>(
                Fmt.Json, "ClientAppointments/ContractAppointments", s), 200,
                "employee 1 is named tester");
        }

        public void Run(Ctx c)
        {
            Name1(c);
            foreach (var f in new[] { Fmt.Json, Fmt.Xml }) {
                var crud = new Crud<EmployeeAppointment, ChangeOfEmployeeAppointment> {
                    Create = "EmployeeAppointments/EmployeeAppointments",
                    Get = "EmployeeAppointments/{0}",
                    Change = "EmployeeAppointments/ChangeOfEmployeeAppointments",
                    Delete = "EmployeeAppointments/{0}",
                    Expected = Expected,
                    Modify = ch => {
                        ch.Title = "Own time (moved)";
                        ch.Remarks = null;
                        ch.Location = null;
                        ch.MovesToNextDay = false;
                        ch.ShiftId = 0;
                        ch.Start = Dates.At(8, 6, 0, 0);
                        ch.End = Dates.At(8, 6, 0, 1);
                    },
                };
                crud.Round(c.Pc2, f, Sample(7), "EmployeeAppointment");
            }
        }
    }
}
