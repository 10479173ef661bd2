package filing

import (
	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

func mustDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decPtr(s string) *decimal.Decimal { d := mustDec(s); return &d }

func intPtr(n int64) *int64 { return &n }

// siteRow is a site row as the decoders build it: zero quantities are
// decimal.Zero and the hazard level is "none".
func siteRow(id, grid string) ledger.Site {
	return ledger.Site{
		SiteID: id, Domain: "ran", Grid: grid,
		GridKWh: decimal.Zero, DieselL: decimal.Zero, PetrolL: decimal.Zero, LPGKg: decimal.Zero,
		SolarKWh: decimal.Zero, WindKWh: decimal.Zero, BackupHours: decimal.Zero, HazardLevel: "none",
	}
}
