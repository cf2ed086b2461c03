// Licensed under the Apache License, Version 2.0.
//
// RecurrenceTests.cs: a recurring series in each calendar (contract,
// team, employee), in JSON and XML: RecurrenceInfo round trip, its
// occurrences in a range, a changed occurrence (saved and read by its
// own id), a deleted one, and the series read again.
using System;
using System.Collections.Generic;
using System.Linq;
using AmClient.PlanCare2;

namespace AmClient
{
    public class RecurrenceTests : IArea
    {
        public string Name { get { return "recurrence"; } }

        // Weekly on Monday, 5 times, from Monday 14 June 2027 09:00 UTC.
        public static RecurrenceInfo Weekly5(DateTime start)
        {
            return new RecurrenceInfo {
                Range = RecurrenceRange.OccurrenceCount, OccurrenceCount = 5,
                Interval = RecurrenceType.Weekly, Periodicity = 1,
                WeekDays = WeekDays.Monday, RecurrenceStart = start,
                WeekOfMonth = WeekOfMonth.None,
            };
        }

        class Cal
        {
            public string Name, Prefix, Create, Get, SaveOccurrence;
            public Func<DateTime, DateTime, AppointmentBase> Make;
            public Func<Fmt, string, Typed<AppointmentBase>> Read;
            public Func<Fmt, AppointmentBase, Typed<AppointmentBase>> Post;
        }

        static Typed<AppointmentBase> Up<T>(Typed<T> t) where T : AppointmentBase
        {
            return new Typed<AppointmentBase> { Reply = t.Reply, Value = t.Value, Error = t.Error };
        }

        public void Run(Ctx c)
        {
            EmployeeTests.Name1(c);
            var api = c.Pc2;
            var cals = new[] {
                new Cal {
                    Name = "contract", Prefix = "ClientAppointments",
                    Create = "ClientAppointments/ContractAppointments",
                    Get = "ClientAppointments/ContractAppointments/{0}",
                    SaveOccurrence = "ClientAppointments/OccurrenceAppointments",
                    Make = (s, e) => { var a = ContractTests.Sample(91041, 14); a.Start = s; a.End = e; return a; },
                    Read = (f, p) => Up(api.Get<ContractAppointment>(f, p)),
                    Post = (f, a) => Up(api.Post<ContractAppointment, ContractAppointment>(
                        f, "ClientAppointments/ContractAppointments", (ContractAppointment)a)),
                },
                new Cal {
                    Name = "team", Prefix = "TeamAppointments",
                    Create = "TeamAppointments/TeamAppointments",
                    Get = "TeamAppointments/{0}",
                    SaveOccurrence = "TeamAppointments/ChangeOfOccurrenceAppointments",
                    Make = (s, e) => { var a = TeamTests.Sample(91042, 91043, 14); a.Start = s; a.End = e; return a; },
                    Read = (f, p) => Up(api.Get<TeamAppointment>(f, p)),
                    Post = (f, a) => Up(api.Post<TeamAppointment, TeamAppointment>(
                        f, "TeamAppointments/TeamAppointments", (TeamAppointment)a)),
                },
                new Cal {
                    Name = "employee", Prefix = "EmployeeAppointments",
                    Create = "EmployeeAppointments/EmployeeAppointments",
                    Get = "EmployeeAppointments/{0}",
                    SaveOccurrence = "EmployeeAppointments/ChangeOfOccurrenceAppointments",
                    Make = (s, e) => { var a = EmployeeTests.Sample(14); a.Start = s; a.End = e; return a; },
                    Read = (f, p) => Up(api.Get<EmployeeAppointment>(f, p)),
                    Post = (f, a) => Up(api.Post<EmployeeAppointment, EmployeeAppointment>(
                        f, "EmployeeAppointments/EmployeeAppointments", (EmployeeAppointment)a)),
                },
            };
            foreach (var f in new[] { Fmt.Json, Fmt.Xml }) {
                foreach (var cal in cals) Series(c, f, cal);
            }
        }

        const string Range = "?occurrenceRangeFrom=2027-06-01&occurrenceRangeUntil=2027-08-01";

        static void Series(Ctx c, Fmt f, Cal cal)
        {
            var api = c.Pc2;
            string n = f + " " + cal.Name + " series";
            var start = Dates.At(14, 9, 0, 1234567);
            var end = Dates.At(14, 10, 30, 7654321);
            var sent = cal.Make(start, end);
            sent.RecurrenceInfo = Weekly5(start);
            var made = cal.Post(f, sent);
            if (!Api.Check(made, 200, n + " is created and read")) return;
            long id = made.Value.Id;
            Tap.Eq(made.Value.Type, AppointmentType.Recurrence, n + ": Type Recurrence");
            Tap.Eq(made.Value.Status, PlannedItemStatus.Created, n + ": Status Created");
            // What was left out comes back as DevExpress's defaults
            // (docs/recurrence.md): DayNumber 1, Month 1, RecurrenceEnd
            // the start.
            var expRi = Compare.Copy(sent.RecurrenceInfo);
            expRi.DayNumber = 1;
            expRi.Month = 1;
            expRi.RecurrenceEnd = start;
            Compare.All(made.Value.RecurrenceInfo, expRi, n + " RecurrenceInfo");
            Tap.Ok(!string.IsNullOrEmpty(made.Value.FriendlyRecurrenceInfo), n + ": FriendlyRecurrenceInfo",
                   made.Value.FriendlyRecurrenceInfo);
            Tap.Eq(made.Value.RecurrenceOccurrences == null ? 0 : made.Value.RecurrenceOccurrences.Count, 0,
                   n + ": no occurrences without a range");

            var got = cal.Read(f, string.Format(cal.Get, id) + Range);
            if (!Api.Check(got, 200, n + ": GET with a range")) return;
            var occ = got.Value.RecurrenceOccurrences ?? new List<OccurrenceAppointment>();
            Tap.Eq(occ.Count, 5, n + ": 5 occurrences in the range");
            var expected = new List<OccurrenceAppointment>();
            for (int i = 0; i < 5; i++) {
                expected.Add(new OccurrenceAppointment {
                    Id = 0, Start = start.AddDays(7 * i), End = end.AddDays(7 * i),
                    Title = sent.Title, Location = sent.Location, ParentId = id,
                    OccurrenceIndex = i, Type = OccurrenceType.Occurrence,
                    Reason = null, Status = PlannedItemStatus.Created,
                    StatusChangedByName = null, StatusChangedById = 0,
                    CreatedByName = "tester", CreatedById = 1, Remarks = sent.Remarks,
                });
            }
            Compare.Value(occ, expected, n + " occurrences");

            // Occurrence 1 changed: other times, texts; a null Location
            // clears it in that occurrence.
            var change = new OccurrenceAppointment {
                Id = 0, ParentId = id, OccurrenceIndex = 1, Type = OccurrenceType.ChangedOccurrence,
                Start = start.AddDays(8).AddTicks(11), End = end.AddDays(8).AddTicks(22),
                Title = "Moved to Tuesday", Location = null, Remarks = "moved",
            };
            var saved = api.Post<OccurrenceAppointment, OccurrenceAppointment>(f, cal.SaveOccurrence, change);
            if (!Api.Check(saved, 200, n + ": POST " + cal.SaveOccurrence)) return;
            var expChanged = Compare.Copy(change);
            expChanged.Id = saved.Value.Id;
            expChanged.Status = PlannedItemStatus.Created;
            expChanged.CreatedById = 1;
            expChanged.CreatedByName = "tester";
            Tap.Ok(saved.Value.Id > 0, n + ": the changed occurrence has an id of its own");
            Compare.All(saved.Value, expChanged, n + " changed occurrence");
            // The stored occurrence changed again, through
            // ChangeOfOccurrenceAppointments with its own Id.
            var again = Compare.Copy(expChanged);
            again.Title = "Moved to Tuesday (again)";
            again.Remarks = null;
            var saved2 = api.Post<OccurrenceAppointment, OccurrenceAppointment>(
                f, cal.Prefix + "/ChangeOfOccurrenceAppointments", again);
            if (Api.Check(saved2, 200, n + ": POST " + cal.Prefix + "/ChangeOfOccurrenceAppointments")) {
                Compare.All(saved2.Value, again, n + " occurrence changed again");
                expChanged = again;
            }
            var byId = api.Get<OccurrenceAppointment>(f, cal.Prefix + "/OccurrenceAppointments/" + saved.Value.Id);
            if (Api.Check(byId, 200, n + ": GET " + cal.Prefix + "/OccurrenceAppointments/{id}")) {
                Compare.All(byId.Value, expChanged, n + " occurrence by id");
            }

            // Occurrence 2 deleted: through the DELETE route (client
            // calendar) or as a DeletedOccurrence.
            if (cal.Name == "contract") {
                var del = api.Send("DELETE", "ClientAppointments/" + id + "/OccurrenceIndex/2", null, f);
                Tap.Eq(del.Status, 204, n + ": DELETE ClientAppointments/{id}/OccurrenceIndex/2");
            }
            else {
                var gone = Compare.Copy(expected[2]);
                gone.Type = OccurrenceType.DeletedOccurrence;
                var r = api.Post<OccurrenceAppointment, OccurrenceAppointment>(f, cal.SaveOccurrence, gone);
                Api.Check(r, 200, n + ": a DeletedOccurrence is saved");
            }

            got = cal.Read(f, string.Format(cal.Get, id) + Range);
            if (!Api.Check(got, 200, n + ": GET again")) return;
            var left = new List<OccurrenceAppointment> { expected[0], expChanged, expected[3], expected[4] };
            Compare.Value(got.Value.RecurrenceOccurrences, left, n + " occurrences after the changes");

            // The flat lists: each occurrence an item of its own.
            string q = "dateFrom=2027-06-01&dateUntil=2027-07-31";
            string path = cal.Name == "employee" ? "Appointments/Employee?" + q
                : "Appointments?clientIds[0]=" + (cal.Name == "contract" ? 91041 : 91042) + "&" + q;
            var list = api.Get<List<Appointment>>(f, path);
            if (!Api.Check(list, 200, n + ": GET " + path.Split('?')[0] + " as List<Appointment>")) return;
            var items = list.Value.Where(a => a.ParentPlannedItemId == id).ToList();
            var flat = left.Select(o => new Appointment {
                ClientId = cal.Name == "employee" ? 0 : (cal.Name == "contract" ? 91041 : 91042),
                ClientName = cal.Name == "contract" ? "Client 91041" : null,
                EmployeeId = cal.Name == "team" ? (long?)null : 1,
                EmployeeName = cal.Name == "team" ? null : "tester",
                StatusChangedByName = null, StatusChangedById = 0,
                CreatedByName = "tester", CreatedById = 1,
                StartDate = o.Start, EndDate = o.End, StartTime = o.Start, EndTime = o.End,
                Subject = o.Title, AppointmentType = "Recurrence", Reason = null,
                Remarks = o.Remarks, Status = "Created", ParentPlannedItemId = id,
                OccurrenceIndex = o.OccurrenceIndex, Id = o.Id, Location = o.Location,
                MovesToNextDay = sent.MovesToNextDay, IsAllDay = sent.IsAllDay,
                RecursionText = got.Value.FriendlyRecurrenceInfo,
            }).ToList();
            Compare.Value(items, flat, n + " flat items");
        }
    }
}
