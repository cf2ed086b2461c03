// Licensed under the Apache License, Version 2.0.
//
// RefsTests.cs: Json.NET's PreserveReferencesHandling bodies: every
// object carries "$id", an object met again is {"$ref": ".."}.  The
// server reads them as Json.NET would.
using System;
using System.Collections.Generic;
using AmClient.PlanCare2;

namespace AmClient
{
    public class RefsTests : IArea
    {
        public string Name { get { return "refs"; } }

        public void Run(Ctx c)
        {
            // The same NamedEntity twice in Clients (read-only), the same
            // occurrence twice in RecurrenceOccurrences (read-only): the
            // body Json.NET writes has $ref.
            var t = TeamTests.Sample(91091, 91092, 26);
            var ne = new NamedEntity { Id = 91091, Name = "x" };
            t.Clients = new List<NamedEntity> { ne, ne };
            var s = RecurrenceTests.Weekly5(t.Start);
            t.RecurrenceInfo = s;
            var o = new OccurrenceAppointment { Start = t.Start, End = t.End, Title = "o" };
            t.RecurrenceOccurrences = new List<OccurrenceAppointment> { o, o };
            var body = Api.ToJson(t);
            Tap.Ok(body.Contains("\"$id\"") && body.Contains("\"$ref\""), "Json.NET wrote $id and $ref", body);
            var r = c.Pc2.Read<TeamAppointment>(Fmt.Json, c.Pc2.Send("POST", "TeamAppointments/TeamAppointments", body));
            if (Api.Check(r, 200, "a body with $id and $ref is accepted")) {
                Compare.All(r.Value.RecurrenceInfo, RecurrenceInfoAnswer(s), "RecurrenceInfo through $id");
                Tap.Eq(r.Value.Clients.Count, 2, "Clients are the server's (from ClientIds)");
            }

            // A $ref to an object of the body that stands for a member:
            // RecurrenceInfo given as a $ref to an earlier object.
            var ca = ContractTests.Sample(91093, 26);
            ca.RecurrenceOccurrences = null;
            ca.RecurrenceInfo = RecurrenceTests.Weekly5(ca.Start);
            var json = Api.ToJson(ca);
            Tap.Ok(json.Contains("\"RecurrenceInfo\":{\"$id\""), "RecurrenceInfo carries its $id", json);
            var m = c.Pc2.Read<ContractAppointment>(Fmt.Json,
                c.Pc2.Send("POST", "ClientAppointments/ContractAppointments", json));
            if (Api.Check(m, 200, "a ContractAppointment with $id objects is accepted")) {
                Compare.All(m.Value.RecurrenceInfo, RecurrenceInfoAnswer(ca.RecurrenceInfo), "its RecurrenceInfo");
            }

            // A dangling $ref is refused as Json.NET refuses it.
            var dangling = json.Replace("\"OrganizationEntityId\":{", "\"OrganizationEntityId\":{\"$ref\":\"99\"},\"x\":{");
            var d = c.Pc2.Send("POST", "ClientAppointments/ContractAppointments", dangling);
            Tap.Eq(d.Status, 400, "a $ref to no object is a 400");
        }

        static RecurrenceInfo RecurrenceInfoAnswer(RecurrenceInfo sent)
        {
            var e = Compare.Copy(sent);
            e.DayNumber = 1;
            e.Month = 1;
            e.RecurrenceEnd = sent.RecurrenceStart;
            return e;
        }
    }
}
