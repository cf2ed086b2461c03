// Licensed under the Apache License, Version 2.0.
//
// TeamTests.cs: TeamAppointments as a typed client uses them, in JSON and
// XML: ClientIds (d2p1:long items), Clients (NamedEntity, from the
// directory), ShowInGroupCalendar, ContractInfo.
using System;
using System.Collections.Generic;
using System.Linq;
using AmClient.PlanCare2;

namespace AmClient
{
    public class TeamTests : IArea
    {
        public string Name { get { return "team"; } }

        public static TeamAppointment Sample(long a, long b, int day)
        {
            return new TeamAppointment {
                TeamCalendarId = 7001, TeamCalendar = "Team North",
                ClientIds = new List<long> { b, a }, ShowInGroupCalendar = true,
                ContractInfo = "C-1",
                Start = Dates.At(day, 13, 0, 1), End = Dates.At(day, 14, 0, 9999999),
                Title = "Team meeting", Remarks = "Bring the plan", Location = "Office",
                MovesToNextDay = false, IsAllDay = false, ShiftId = 2,
            };
        }

        // names: the directory's client names (null: none).
        public static TeamAppointment Expected(TeamAppointment sent, long id, Dictionary<long, string> names)
        {
            var e = Compare.Copy(sent);
            e.Id = id;
            e.Status = PlannedItemStatus.Created;
            e.StatusChangedById = 0;
            e.StatusChangedByName = null;
            e.CreatedById = 1;
            e.CreatedByName = "tester";
            e.Reason = null;
            e.Type = AppointmentType.Normal;
            e.ClientIds = sent.ClientIds == null ? new List<long>() : sent.ClientIds.Distinct().OrderBy(x => x).ToList();
            e.Clients = e.ClientIds.Select(x => new NamedEntity {
                Id = x, Name = names.ContainsKey(x) ? names[x] : null }).ToList();
            return e;
        }

        public void Run(Ctx c)
        {
            foreach (var f in new[] { Fmt.Json, Fmt.Xml }) {
                long a = f == Fmt.Json ? 91011 : 91013, b = a + 1;
                // Client a is named in the directory (by a contract
                // appointment that names it), b is not.
                var named = ContractTests.Sample(a, 4);
                Api.Check(c.Pc2.Post<ContractAppointment, ContractAppointment>(
                    f, "ClientAppointments/ContractAppointments", named), 200,
                    f + " client " + a + " gets a name");
                var names = new Dictionary<long, string> { { a, "Client " + a } };
                var crud = new Crud<TeamAppointment, ChangeOfTeamAppointment> {
                    Create = "TeamAppointments/TeamAppointments",
                    Get = "TeamAppointments/{0}",
                    Change = "TeamAppointments/ChangeOfTeamAppointments",
                    Delete = "TeamAppointments/{0}",
                    Expected = (s, id) => Expected(s, id, names),
                    Modify = ch => {
                        ch.ClientIds = new List<long> { a, a };
                        ch.ShowInGroupCalendar = false;
                        ch.ContractInfo = null;
                        ch.TeamCalendar = "Team South";
                        ch.Start = Dates.At(5, 7, 0, 5);
                        ch.End = Dates.At(5, 7, 30, 6);
                    },
                };
                crud.Round(c.Pc2, f, Sample(a, b, 4), "TeamAppointment");
            }
        }
    }
}
