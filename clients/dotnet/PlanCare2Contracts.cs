// Licensed under the Apache License, Version 2.0.
//
// PlanCare2Contracts.cs: the PlanCare2 calendar types as a client types
// them from the API's pages (../shared/seeds 000-002 and the public
// ResourceModel pages): DataContract names and namespaces of the XML
// samples, members as the pages type them.  A member the pages do not
// mark "Nullable" is a plain value type here (long, int, bool, an enum,
// DateTime): reading null into it throws, in Json.NET and in
// DataContractSerializer alike.  Ids are long (the XML samples carry
// ClientIds as d2p1:long).
using System;
using System.Collections.Generic;
using System.Runtime.Serialization;

namespace AmClient.PlanCare2
{
    public static class Ns
    {
        public const string Api = "http://schemas.datacontract.org/2004/07/DHS.PlanCare.Web.Api.Interface";
        public const string Cal = Api + ".Calendar";
        public const string Cli = Cal + ".Client";
        public const string Rec = Cal + ".Recurrence";
        public const string Team = Cal + ".Team";
        public const string Emp = Cal + ".Employee";
        public const string Infra = "http://schemas.datacontract.org/2004/07/DHS.PlanCare.Web.Common.Infrastructure";
    }

    // Only Created is on the pages; Completed and Cancelled are the
    // module's (docs/plancare2.md).
    public enum PlannedItemStatus { Created = 0, Completed = 1, Cancelled = 2 }
    public enum AppointmentType { Normal = 0, Recurrence = 1 }
    public enum OccurrenceType { Occurrence = 0, ChangedOccurrence = 1, DeletedOccurrence = 2 }
    public enum RecurrenceRange { NoEndDate = 0, OccurrenceCount = 1, EndByDate = 2 }
    public enum RecurrenceType { Daily = 0, Weekly = 1, Monthly = 2, Yearly = 3 }
    [Flags]
    public enum WeekDays {
        Sunday = 1, Monday = 2, Tuesday = 4, Wednesday = 8, Thursday = 16,
        Friday = 32, Saturday = 64, WeekendDays = 65, WorkDays = 62, EveryDay = 127
    }
    public enum WeekOfMonth { None = 0, First = 1, Second = 2, Third = 3, Fourth = 4, Last = 5 }
    // Identity.Type: the pages' samples show only ExternalId (0).
    public enum IdentityType { ExternalId = 0 }

    [DataContract(Namespace = Ns.Rec)]
    public class RecurrenceInfo
    {
        [DataMember] public int? OccurrenceCount { get; set; }
        [DataMember] public int? Periodicity { get; set; }
        [DataMember] public RecurrenceRange Range { get; set; }
        [DataMember] public RecurrenceType Interval { get; set; }
        [DataMember] public WeekDays? WeekDays { get; set; }
        [DataMember] public DateTime RecurrenceStart { get; set; }
        [DataMember] public DateTime? RecurrenceEnd { get; set; }
        [DataMember] public int? Month { get; set; }
        [DataMember] public int? DayNumber { get; set; }
        [DataMember] public WeekOfMonth WeekOfMonth { get; set; }
    }

    [DataContract(Namespace = Ns.Cal)]
    public class OccurrenceAppointment
    {
        [DataMember] public long Id { get; set; }
        [DataMember] public DateTime Start { get; set; }
        [DataMember] public DateTime End { get; set; }
        [DataMember] public string Title { get; set; }
        [DataMember] public string Location { get; set; }
        [DataMember] public long ParentId { get; set; }
        [DataMember] public int OccurrenceIndex { get; set; }
        [DataMember] public OccurrenceType Type { get; set; }
        [DataMember] public string Reason { get; set; }
        [DataMember] public PlannedItemStatus Status { get; set; }
        [DataMember] public string StatusChangedByName { get; set; }
        [DataMember] public long StatusChangedById { get; set; }
        [DataMember] public string CreatedByName { get; set; }
        [DataMember] public long CreatedById { get; set; }
        [DataMember] public string Remarks { get; set; }
    }

    // The appointment base class of the pages (namespace ...Calendar).
    // ContractInfo is the team appointment's (seed 001 puts it in this
    // namespace, at this level); not written when null.
    [DataContract(Name = "AppointmentBase", Namespace = Ns.Cal)]
    public class AppointmentBase
    {
        [DataMember] public DateTime Start { get; set; }
        [DataMember] public DateTime End { get; set; }
        [DataMember] public string Title { get; set; }
        [DataMember] public string Reason { get; set; }
        [DataMember] public PlannedItemStatus Status { get; set; }
        [DataMember] public string StatusChangedByName { get; set; }
        [DataMember] public long StatusChangedById { get; set; }
        [DataMember] public string CreatedByName { get; set; }
        [DataMember] public long CreatedById { get; set; }
        [DataMember] public string Remarks { get; set; }
        [DataMember] public long Id { get; set; }
        [DataMember] public string Location { get; set; }
        [DataMember] public bool MovesToNextDay { get; set; }
        [DataMember] public bool IsAllDay { get; set; }
        [DataMember] public string FriendlyRecurrenceInfo { get; set; }
        [DataMember] public RecurrenceInfo RecurrenceInfo { get; set; }
        [DataMember] public List<OccurrenceAppointment> RecurrenceOccurrences { get; set; }
        [DataMember] public AppointmentType Type { get; set; }
        [DataMember] public long ShiftId { get; set; }
        [DataMember(EmitDefaultValue = false)] public string ContractInfo { get; set; }
    }

    [DataContract(Namespace = Ns.Infra)]
    public class Identity
    {
        [DataMember] public string Identifier { get; set; }
        [DataMember] public IdentityType Type { get; set; }
    }

    [DataContract(Namespace = Ns.Cli)]
    public class ClientAppointment : AppointmentBase
    {
        [DataMember] public long ClientId { get; set; }
        [DataMember] public string ClientName { get; set; }
        [DataMember] public long? EmployeeId { get; set; }
        [DataMember] public string EmployeeName { get; set; }
        [DataMember] public long? EmploymentId { get; set; }
        [DataMember] public long? ContractOfServiceId { get; set; }
    }

    [DataContract(Namespace = Ns.Cli)]
    public class ContractAppointment : ClientAppointment
    {
        [DataMember] public long ContractId { get; set; }
        [DataMember] public long ProductId { get; set; }
        [DataMember] public string ProductName { get; set; }
        [DataMember] public long? ContractLineId { get; set; }
        [DataMember] public long? CareTrajectId { get; set; }
        [DataMember] public long? DOTLocationId { get; set; }
        [DataMember] public long? WorkTypeId { get; set; }
        [DataMember] public string ProjectId { get; set; }
        [DataMember] public string ProjectName { get; set; }
        [DataMember] public Identity OrganizationEntityId { get; set; }
        [DataMember] public int? TravelDuration { get; set; }
    }

    [DataContract(Namespace = Ns.Cli)]
    public class ChangeOfContractAppointment : ContractAppointment { }

    [DataContract(Namespace = Ns.Api)]
    public class NamedEntity
    {
        [DataMember] public long Id { get; set; }
        [DataMember] public string Name { get; set; }
    }

    [DataContract(Namespace = Ns.Team)]
    public class TeamAppointment : AppointmentBase
    {
        [DataMember] public long TeamCalendarId { get; set; }
        [DataMember] public string TeamCalendar { get; set; }
        [DataMember] public List<long> ClientIds { get; set; }
        [DataMember] public bool ShowInGroupCalendar { get; set; }
        [DataMember] public List<NamedEntity> Clients { get; set; }
    }

    [DataContract(Namespace = Ns.Team)]
    public class ChangeOfTeamAppointment : TeamAppointment { }

    [DataContract(Namespace = Ns.Emp)]
    public class EmployeeAppointment : AppointmentBase
    {
        [DataMember] public long EmployeeId { get; set; }
        [DataMember] public string EmployeeName { get; set; }
    }

    [DataContract(Namespace = Ns.Emp)]
    public class ChangeOfEmployeeAppointment : EmployeeAppointment { }

    // The flat type of GET Appointments and GET Appointments/Employee
    // (ResourceModel?modelName=Appointment, v23011).  StartTime and
    // EndTime are the deprecated names of StartDate and EndDate.
    [DataContract(Namespace = Ns.Cal)]
    public class Appointment
    {
        [DataMember] public long ClientId { get; set; }
        [DataMember] public string ClientName { get; set; }
        [DataMember] public long? EmployeeId { get; set; }
        [DataMember] public string EmployeeName { get; set; }
        [DataMember] public string StatusChangedByName { get; set; }
        [DataMember] public long StatusChangedById { get; set; }
        [DataMember] public string CreatedByName { get; set; }
        [DataMember] public long CreatedById { get; set; }
        [DataMember] public DateTime StartDate { get; set; }
        [DataMember] public DateTime EndDate { get; set; }
        [DataMember] public string Subject { get; set; }
        [DataMember] public string AppointmentType { get; set; }
        [DataMember] public string Reason { get; set; }
        [DataMember] public string Remarks { get; set; }
        [DataMember] public string Status { get; set; }
        [DataMember] public long? ParentPlannedItemId { get; set; }
        [DataMember] public int? OccurrenceIndex { get; set; }
        [DataMember] public long Id { get; set; }
        [DataMember] public DateTime StartTime { get; set; }
        [DataMember] public DateTime EndTime { get; set; }
        [DataMember] public string Location { get; set; }
        [DataMember] public bool MovesToNextDay { get; set; }
        [DataMember] public bool IsAllDay { get; set; }
        [DataMember] public string RecursionText { get; set; }
    }
}
