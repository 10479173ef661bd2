package filing

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// The Basel Convention amendments on e-waste (decision BC-15/18) apply
// from 1 January 2025: B1110 left Annex IX, so e-waste shipped for
// treatment needs prior informed consent under A1181 (hazardous) or Y49
// (other). Batteries ship under A1160 or A1170 (with consent) or B1090.
// Methodology 2026.1 W6.

// pic2025 is the first quarter the amendments apply to.
var pic2025 = ledger.Period{Year: 2025, Quarter: 1}

// Basel codes a device row may export under, by row kind.
var (
	weeeBaselCodes    = []string{"A1181", "Y49"}
	batteryBaselCodes = []string{"A1160", "A1170", "B1090"}
)

// WarnExportConsent is the warning rule for exported_kg filed without
// exports: the return is valid (v1) but no consent is on record.
const WarnExportConsent = "export_consent_not_on_record"

// exports checks devices[i].exports against the row and its period.
func (v *validator) exports(i int, d *ledger.DeviceFlow, treated decimal.Decimal) {
	battery := strings.HasPrefix(d.Category, "battery_")
	var sum decimal.Decimal
	for k, x := range d.Exports {
		path := func(field string) string { return at("devices", i, "exports") + "[" + strconv.Itoa(k) + "]." + field }
		if !ledger.IsCountryCode(x.Country) {
			v.add(path("country"), "must be an ISO 3166-1 alpha-2 country code; got %q", x.Country)
		}
		if x.Kg.Sign() <= 0 {
			v.add(path("kg"), "must be > 0; got %s", x.Kg)
		}
		sum = sum.Add(x.Kg)
		v.baselCode(x, battery, path)
	}
	switch {
	case len(d.Exports) > 0 && sum.Cmp(treated) > 0:
		v.add(at("devices", i, "exports"), "sum to %s kg, more than the treated mass (reused + recycled + recovered + disposed = %s kg)", sum, treated)
	case len(d.Exports) > 0 && d.ExportedKg != nil && !d.ExportedKg.Equal(sum):
		v.add(at("devices", i, "exported_kg"), "must equal the sum of exports[].kg (%s) when both are given; got %s", sum, d.ExportedKg)
	case len(d.Exports) == 0 && d.ExportedKg != nil && d.ExportedKg.Sign() > 0 && !v.r.Period.Before(pic2025) &&
		d.ExportedKg.Cmp(treated) <= 0 && len(d.BaselNotification) > 0: // otherwise a problem already names exported_kg
		v.warn(WarnExportConsent, at("devices", i, "exported_kg"),
			"%s/%s: %s kg exported without exports[]: no Basel code or consent id is on record (prior informed consent is required for e-waste since 1 January 2025)",
			d.Category, d.Stream, d.ExportedKg)
	}
}

// baselCode checks one export's Basel code and consent.
func (v *validator) baselCode(x ledger.Export, battery bool, path func(string) string) {
	allowed, kind := weeeBaselCodes, "WEEE"
	if battery {
		allowed, kind = batteryBaselCodes, "battery"
	}
	code := x.BaselCode
	switch {
	case code == "B1110" && !v.r.Period.Before(pic2025):
		v.add(path("basel_code"), "B1110 was deleted from Annex IX from 1 January 2025: e-waste needs prior informed consent under %s",
			strings.Join(weeeBaselCodes, " or "))
		return
	case code == "B1110":
		return // before 2025 the entry still existed
	case code == "" && x.Purpose == ledger.ExportReuseTested:
		return // functionally tested equipment for reuse is not waste
	case code == "":
		v.add(path("basel_code"), "is required for export for treatment: one of %s for a %s row", strings.Join(allowed, ", "), kind)
		return
	case !ledger.OneOf(code, allowed):
		v.add(path("basel_code"), "must be one of %s for a %s row; got %q", strings.Join(allowed, ", "), kind, code)
		return
	}
	if code != "B1090" && x.ConsentID == "" {
		v.add(path("consent_id"), "is required with Basel code %s (prior informed consent)", code)
	}
}
