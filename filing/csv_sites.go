package filing

import (
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// siteColumns are the columns of a sites CSV part: the sites[] field
// names, in any order. site_id, domain and grid are required; a missing
// or empty quantity is zero, a missing or empty flag false, a missing or
// empty hazard_level "none".
var siteColumns = []string{
	"site_id", "domain", "grid", "grid_kwh", "diesel_l", "petrol_l", "lpg_kg", "solar_kwh", "wind_kwh",
	"backup_hours", "hazard_level", "hazard_assessed", "hardened", "offgrid",
	"generator_kwh", "quality", // v1.1
}

// The indexes of siteColumns.
const (
	colSiteID = iota
	colDomain
	colGrid
	colGridKWh
	colDieselL
	colPetrolL
	colLPGKg
	colSolarKWh
	colWindKWh
	colBackupHours
	colHazardLevel
	colHazardAssessed
	colHardened
	colOffgrid
	colGeneratorKWh
	colQuality
)

// readSitesCSV reads a sites CSV part from r. file names the part in
// problem paths (e.g. "sites.csv"). It returns the rows, the line each row
// starts on, and the problems found; the error is a *ledger.Error for a
// body that is not CSV (EBadRequest) or over a size limit (ETooLarge).
// Rows are streamed: memory is the rows themselves.
func readSitesCSV(r io.Reader, file string) ([]ledger.Site, []int, problems, error) {
	var probs problems
	cr := newCSVReader(r, len(siteColumns))
	cols, ok, err := readHeader(cr, file, siteColumns, []string{"site_id", "domain", "grid"}, &probs)
	if err != nil {
		if csvLimitProblem(err, file, len(siteColumns), &probs) {
			return nil, nil, probs, nil
		}
		return nil, nil, problems{}, csvReadError(file, err)
	}
	if !ok {
		return nil, nil, probs, nil
	}
	grids := interner{}
	var sites chunked[ledger.Site]
	var lines chunked[int]
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if csvLimitProblem(err, file, len(siteColumns), &probs) {
				return nil, nil, probs, nil
			}
			return nil, nil, problems{}, csvReadError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols) {
			probs.add(csvPath(file, line, ""), "has "+strconv.Itoa(len(rec))+" fields, the header has "+strconv.Itoa(len(cols)))
			continue
		}
		s := ledger.Site{
			GridKWh: decimal.Zero, DieselL: decimal.Zero, PetrolL: decimal.Zero, LPGKg: decimal.Zero,
			SolarKWh: decimal.Zero, WindKWh: decimal.Zero, BackupHours: decimal.Zero, HazardLevel: "none",
		}
		for i, cell := range rec {
			col := cols[i]
			path := func() string { return csvPath(file, line, siteColumns[col]) }
			switch col {
			case colSiteID:
				if cell == "" {
					probs.add(path(), "is required")
				}
				s.SiteID = strings.Clone(checkCell(cell, ledger.TextID, path, &probs))
			case colDomain:
				s.Domain = csvEnum(cell, ledger.Domains, path, &probs)
			case colGrid:
				if cell == "" {
					probs.add(path(), "is required")
				}
				s.Grid = grids.get(checkCell(cell, ledger.TextID, path, &probs)) // copies
			case colHazardLevel:
				if cell != "" {
					s.HazardLevel = csvEnum(cell, ledger.HazardLevels, path, &probs)
				}
			case colHazardAssessed:
				s.HazardAssessed = csvBool(cell, path, &probs)
			case colHardened:
				s.Hardened = csvBool(cell, path, &probs)
			case colOffgrid:
				s.Offgrid = csvBool(cell, path, &probs)
			case colGeneratorKWh:
				if cell != "" { // empty: not filed, which differs from 0
					q := csvQuantity(cell, path, &probs)
					s.GeneratorKWh = &q
				}
			case colQuality:
				if cell != "" {
					s.Quality = csvEnum(cell, ledger.DataQualities, path, &probs)
				}
			default:
				q := csvQuantity(cell, path, &probs)
				switch col {
				case colGridKWh:
					s.GridKWh = q
				case colDieselL:
					s.DieselL = q
				case colPetrolL:
					s.PetrolL = q
				case colLPGKg:
					s.LPGKg = q
				case colSolarKWh:
					s.SolarKWh = q
				case colWindKWh:
					s.WindKWh = q
				case colBackupHours:
					s.BackupHours = q
				}
			}
		}
		sites.add(s)
		lines.add(line)
	}
	return sites.all(), lines.all(), probs, nil
}

// csvQuantity reads a decimal cell; empty is zero.
func csvQuantity(cell string, path func() string, probs *problems) decimal.Decimal {
	if cell == "" {
		return decimal.Zero
	}
	q, msg := parseQuantity(cell)
	if msg != "" {
		probs.add(path(), msg+"; got "+strconv.Quote(cell))
		return decimal.Zero
	}
	return q
}

// csvEnum reads a cell that must be one of allowed.
func csvEnum(cell string, allowed []string, path func() string, probs *problems) string {
	v, msg := checkEnum(cell, allowed)
	if msg != "" {
		probs.add(path(), msg)
	}
	return v
}

// csvBool reads true or false; empty is false.
func csvBool(cell string, path func() string, probs *problems) bool {
	switch cell {
	case "true":
		return true
	case "false", "":
		return false
	}
	probs.add(path(), "must be true or false; got "+strconv.Quote(cell))
	return false
}
