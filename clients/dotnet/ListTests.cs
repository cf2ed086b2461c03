// Licensed under the Apache License, Version 2.0.
//
// ListTests.cs: the list routes as a typed client reads them, in JSON and
// XML: GET ClientAppointments/ContractAppointments (List of
// ContractAppointment, XML root ArrayOfContractAppointment), GET
// Appointments (the clients' group calendar) and GET Appointments/Employee
// (List of the flat Appointment, XML root ArrayOfAppointment), every
// member of every item; Appointments/Employee takes whole days.
using System;
using System.Collections.Generic;
using System.Linq;
using AmClient.PlanCare2;

namespace AmClient
{
    public class ListTests : IArea
    {
        public string Name { get { return "lists"; } }

        static Appointment Flat(AppointmentBase a, long client, string clientName,
                                long? employee, string employeeName)
        {
            return new Appointment {
                ClientId = client, ClientName = clientName,
                EmployeeId = employee, EmployeeName = employeeName,
                StatusChangedByName = null, StatusChangedById = 0,
                CreatedByName = "tester", CreatedById = 1,
                StartDate = a.Start, EndDate = a.End, StartTime = a.Start, EndTime = a.End,
                Subject = a.Title, AppointmentType = "Normal", Reason = null,
                Remarks = a.Remarks, Status = "Created", ParentPlannedItemId = null,
                OccurrenceIndex = null, Id = a.Id, Location = a.Location,
                MovesToNextDay = a.MovesToNextDay, IsAllDay = a.IsAllDay, RecursionText = "",
            };
        }

        public void Run(Ctx c)
        {
            EmployeeTests.Name1(c);
            var api = c.Pc2;
            foreach (var f in new[] { Fmt.Json, Fmt.Xml }) {
                long a = f == Fmt.Json ? 91051 : 91061, b = a + 1;
                int day = f == Fmt.Json ? 21 : 22;
                var c1 = ContractTests.Sample(a, day);
                var c2 = ContractTests.Sample(b, day);
                c2.Start = c2.Start.AddHours(2);
                c2.End = c2.End.AddHours(2);
                c2.EmployeeId = null;
                c2.EmployeeName = null;
                c2.TravelDuration = null;
                var t = TeamTests.Sample(a, b, day);
                t.Start = t.Start.AddHours(-6);
                t.End = t.End.AddHours(-6);
                var e = EmployeeTests.Sample(day);
                var m1 = api.Post<ContractAppointment, ContractAppointment>(f, "ClientAppointments/ContractAppointments", c1);
                var m2 = api.Post<ContractAppointment, ContractAppointment>(f, "ClientAppointments/ContractAppointments", c2);
                var mt = api.Post<TeamAppointment, TeamAppointment>(f, "TeamAppointments/TeamAppointments", t);
                var me = api.Post<EmployeeAppointment, EmployeeAppointment>(f, "EmployeeAppointments/EmployeeAppointments", e);
                if (!Api.Check(m1, 200, f + " contract 1 created") | !Api.Check(m2, 200, f + " contract 2 created")
                    | !Api.Check(mt, 200, f + " team appointment created") | !Api.Check(me, 200, f + " employee appointment created"))
                    continue;
                string d = "2027-06-" + day;
                string range = "dateFrom=" + d + "&dateUntil=2027-06-" + (day + 1);

                // ContractAppointments of the two clients, by start.
                var cl = api.Get<List<ContractAppointment>>(f,
                    "ClientAppointments/ContractAppointments?clientIds[0]=" + a + "&clientIds[1]=" + b + "&" + range);
                if (Api.Check(cl, 200, f + " GET ClientAppointments/ContractAppointments as List<ContractAppointment>")) {
                    if (f == Fmt.Xml) Tap.Ok(cl.Reply.Body.StartsWith("<ArrayOfContractAppointment "), f + " root ArrayOfContractAppointment");
                    Compare.Value(cl.Value, new List<ContractAppointment> {
                        ContractTests.Expected(c1, m1.Value.Id), ContractTests.Expected(c2, m2.Value.Id) },
                        f + " contract list");
                }

                // The group calendar: contract appointments and the team
                // appointment once per client it shows for, flat.
                var gl = api.Get<List<Appointment>>(f,
                    "Appointments?clientIds[0]=" + a + "&clientIds[1]=" + b + "&" + range);
                if (Api.Check(gl, 200, f + " GET Appointments as List<Appointment>")) {
                    if (f == Fmt.Xml) Tap.Ok(gl.Reply.Body.StartsWith("<ArrayOfAppointment "), f + " root ArrayOfAppointment");
                    t.Id = mt.Value.Id;
                    var exp = new List<Appointment> {
                        Flat(t, a, "Client " + a, null, null),
                        Flat(t, b, "Client " + b, null, null),
                        Flat(m1.Value, a, "Client " + a, 1, "tester"),
                        Flat(m2.Value, b, "Client " + b, null, null),
                    };
                    Compare.Value(gl.Value, exp, f + " group calendar");
                }

                // The own calendar, dateUntil the same day: that whole day.
                var el = api.Get<List<Appointment>>(f, "Appointments/Employee?dateFrom=" + d + "&dateUntil=" + d);
                if (Api.Check(el, 200, f + " GET Appointments/Employee as List<Appointment>")) {
                    var mine = el.Value.Where(x => x.Id == me.Value.Id).ToList();
                    Compare.Value(mine, new List<Appointment> { Flat(me.Value, 0, null, 1, "tester") },
                                  f + " employee list, dateUntil the same day");
                }
                el = api.Get<List<Appointment>>(f, "Appointments/Employee?dateFrom=2027-06-" + (day + 1)
                                                + "&dateUntil=2027-06-" + (day + 1));
                if (Api.Check(el, 200, f + " GET Appointments/Employee of the next day")) {
                    Tap.Eq(el.Value.Count(x => x.Id == me.Value.Id), 0, f + " the day before is not in it");
                }
            }
        }
    }
}
