//! Identifiers: plain integers from the database, kept apart by type.
macro_rules! id_type {
    ($($name:ident),*) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[ts(export)]
        pub struct $name(pub i64);
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { std::fmt::Display::fmt(&self.0, f) }
        }
    )*};
}
id_type!(
    OrganisationId,
    SupplierId,
    ContractId,
    ProcurementId,
    LotId,
    MilestoneId,
    BidId,
    PaperId,
    PackId,
    StaffListId
);
