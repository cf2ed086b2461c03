// Licensed under the Apache License, Version 2.0.
//
// PatientContracts.cs: the DrCare AppointmentModel as a client types it
// from the page of POST api/Calendar/PatientAppointmentPost_v2 (seed
// 003): "decimal number" and "integer" are decimal and int; the GUID
// members are Guid? except the Required ones (UserId, AccountId).  The
// page has no XML; the namespace is the module's (docs/patient.md).
using System;
using System.Collections.Generic;
using System.Runtime.Serialization;

namespace AmClient.Patient
{
    public static class Ns
    {
        public const string Models = "http://schemas.datacontract.org/2004/07/DrCare.Api.Models";
    }

    public enum AppointmentStatus { Booked = 0, Completed = 1, Cancelled = 2 }

    [DataContract(Name = "Reasons", Namespace = Ns.Models)]
    public class Reasons
    {
        [DataMember] public Guid? ReasonId { get; set; }
    }

    [DataContract(Namespace = Ns.Models)]
    public class AppointmentModel
    {
        [DataMember] public Guid Id { get; set; }
        [DataMember] public Guid? EncounterTypeId { get; set; }
        [DataMember] public Guid? EncounterTypeModeDurationId { get; set; }
        [DataMember] public Guid? ProviderId { get; set; }
        [DataMember] public Guid UserId { get; set; }
        [DataMember] public Guid? PatientId { get; set; }
        [DataMember] public Guid? SpecialityId { get; set; }
        [DataMember] public DateTime AppointmentOn { get; set; }
        [DataMember] public DateTime? SecondaryAppointmentOn { get; set; }
        [DataMember] public string Reason { get; set; }
        [DataMember] public string Note { get; set; }
        [DataMember] public Guid? ParentId { get; set; }
        [DataMember] public Guid? ReferredParentId { get; set; }
        [DataMember] public decimal PaidAmount { get; set; }
        [DataMember] public Guid AccountId { get; set; }
        [DataMember] public Guid? ServiceId { get; set; }
        [DataMember] public int MethodId { get; set; }
        [DataMember] public string IsCustomFormFlow { get; set; }
        [DataMember] public string DocIds { get; set; }
        [DataMember] public List<Reasons> Reasons { get; set; }
        // The server's answer (read-only).
        [DataMember] public DateTime AppointmentEndOn { get; set; }
        [DataMember] public AppointmentStatus Status { get; set; }
        [DataMember] public string CancelReason { get; set; }
        [DataMember] public string CreatedBy { get; set; }
    }

    [DataContract(Namespace = Ns.Models)]
    public class AppointmentCancelModel
    {
        [DataMember] public Guid Id { get; set; }
        [DataMember] public string Reason { get; set; }
    }

    [DataContract(Namespace = Ns.Models)]
    public class AppointmentRescheduleModel
    {
        [DataMember] public Guid Id { get; set; }
        [DataMember] public DateTime AppointmentOn { get; set; }
        [DataMember] public DateTime? SecondaryAppointmentOn { get; set; }
    }
}
