// Licensed under the Apache License, Version 2.0.
//
// PlanCare2KindContracts.cs: the other client appointment kinds and the
// completion types, as a client types them from the API's pages
// (ResourceModel and route pages of ActionAppointment,
// ArrangementProductActAppointment, AgreementAppointment,
// SubscriptionAppointment, InterventionAppointment, AppointmentCompletion,
// ClosedAppointment, ChangeEmployeeForOccurrence).  Members the pages do
// not mark Nullable are plain value types.  The change routes' names
// (ChangeOfActionAppointment, ...) follow the contract appointment's.
using System;
using System.Collections.Generic;
using System.Runtime.Serialization;

namespace AmClient.PlanCare2
{
    [DataContract(Namespace = Ns.Cli)]
    public class ActionAppointment : ClientAppointment
    {
        [DataMember] public List<long> ActionIds { get; set; }
    }

    [DataContract(Namespace = Ns.Cli)]
    public class ChangeOfActionAppointment : ActionAppointment { }

    [DataContract(Namespace = Ns.Cli)]
    public class ArrangementProductActAppointment : ClientAppointment
    {
        [DataMember] public List<long> ArrangementProductActIds { get; set; }
    }

    [DataContract(Namespace = Ns.Cli)]
    public class ChangeOfArrangementProductActAppointment : ArrangementProductActAppointment { }

    [DataContract(Namespace = Ns.Cli)]
    public class AgreementAppointment : ClientAppointment
    {
        [DataMember] public long AgreementId { get; set; }
    }

    [DataContract(Namespace = Ns.Cli)]
    public class ChangeOfAgreementAppointment : AgreementAppointment { }

    [DataContract(Namespace = Ns.Cli)]
    public class SubscriptionAppointment : ClientAppointment { }

    [DataContract(Namespace = Ns.Cli)]
    public class ChangeOfSubscriptionAppointment : SubscriptionAppointment { }

    [DataContract(Namespace = Ns.Cli)]
    public class InterventionAppointment : ClientAppointment
    {
        [DataMember] public Guid InterventionId { get; set; }
    }

    [DataContract(Namespace = Ns.Cli)]
    public class ChangeOfInterventionAppointment : InterventionAppointment { }

    [DataContract(Namespace = Ns.Cli)]
    public class PCDContractAppointment : ContractAppointment { }

    [DataContract(Namespace = Ns.Cli)]
    public class ChangeOfPCDContractAppointment : PCDContractAppointment { }

    [DataContract(Namespace = Ns.Cal)]
    public class AppointmentCompletion
    {
        [DataMember] public long Id { get; set; }
        [DataMember] public long? ParentPlannedItemId { get; set; }
        [DataMember] public int? OccurrenceIndex { get; set; }
        [DataMember] public DateTime StartDateTime { get; set; }
        [DataMember] public int Duration { get; set; }
        [DataMember] public string Remarks { get; set; }
        [DataMember] public string Reason { get; set; }
        [DataMember] public long EmploymentId { get; set; }
        [DataMember] public long? WorkTypeId { get; set; }
        [DataMember] public int? TravelDuration { get; set; }
        [DataMember] public int? TravelDistance { get; set; }
        [DataMember] public long? TravelMethodId { get; set; }
        [DataMember] public decimal? Cost { get; set; }
        [DataMember] public long? CostTypeId { get; set; }
        [DataMember] public string ZipCode { get; set; }
        [DataMember] public int? HouseNumber { get; set; }
        [DataMember] public string HouseNumberAddition { get; set; }
        [DataMember] public bool? ClientSigned { get; set; }
        [DataMember] public long ProductId { get; set; }
        [DataMember] public string ProjectId { get; set; }
        // The pages' list is cut at "Organizatio...": taken as
        // ContractAppointment has it.
        [DataMember] public Identity OrganizationEntityId { get; set; }
    }

    [DataContract(Namespace = Ns.Cal)]
    public class ClosedAppointment
    {
        [DataMember] public long Id { get; set; }
        [DataMember] public long? ParentPlannedItemId { get; set; }
        [DataMember] public int? OccurrenceIndex { get; set; }
        [DataMember] public string Reason { get; set; }
    }

    [DataContract(Namespace = Ns.Cli)]
    public class ChangeEmployeeForOccurrence
    {
        [DataMember] public long ParentId { get; set; }
        [DataMember] public long Id { get; set; }
        [DataMember] public int OccurrenceIndex { get; set; }
        [DataMember] public long EmployeeId { get; set; }
        [DataMember] public long? ContractOfServiceId { get; set; }
    }

    // The answer of ChangeEmployeeForOccurrence: "the created
    // EmployeeOccurrence (Id and Type)".
    [DataContract(Namespace = Ns.Cli)]
    public class EmployeeOccurrence
    {
        [DataMember] public long Id { get; set; }
        [DataMember] public AppointmentType Type { get; set; }
    }
}
