package templates

// RegionTemplateV2 is the layout of the public regional report drawn from
// a region.recorded entry (ledger.RegionRecorded): the figures the ledger
// recorded for the span, instead of everything they are computed from.
const RegionTemplateV2 = "region_v2"
