package filing

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// TestPlans builds the plans and holds the CSV columns that follow from
// the description to the published ones.
func TestPlans(t *testing.T) {
	p := plans()
	wantSites := "site_id,domain,grid,grid_kwh,diesel_l,petrol_l,lpg_kg,solar_kwh,wind_kwh,backup_hours,hazard_level,hazard_assessed,hardened,offgrid,generator_kwh,quality"
	if got := strings.Join(p.site.columnNames(), ","); got != wantSites {
		t.Errorf("sites columns %s, want %s", got, wantSites)
	}
	if got := strings.Join(p.devicesCSV.columns, ","); got != "category,stream,flow,units,kg" {
		t.Errorf("devices columns %s", got)
	}
	wantFlows := "inflow,collected,reused,recycled,recovered,disposed,stock_change,recycled_content,reused_content,redeployed"
	if got := strings.Join(p.devicesCSV.names, ","); got != wantFlows {
		t.Errorf("devices flows %s, want %s", got, wantFlows)
	}
	for _, sp := range []*structPlan{p.site, p.flow} {
		for _, f := range sp.fields {
			if f.cell == nil {
				t.Errorf("%s.%s has no CSV reader", sp.typ.Name(), f.Name)
			}
		}
	}
}

// TestSpecNamesEveryField holds docs/spec/quarterly-return.md to the
// description: every field and every enumeration value a return may hold
// is named there.
func TestSpecNamesEveryField(t *testing.T) {
	spec, err := os.ReadFile("../docs/spec/quarterly-return.md")
	if err != nil {
		t.Fatal(err)
	}
	b := planBuilder{}
	b.mustPlan(reflect.TypeFor[ledger.Return]())
	for typ, p := range b {
		for _, f := range p.fields {
			if !strings.Contains(string(spec), "`"+f.Name+"`") && !strings.Contains(string(spec), "`"+f.Name+"[]`") {
				t.Errorf("the spec does not name %s.%s, `%s`", typ.Name(), f.Name, f.Name)
			}
			for _, v := range f.Enum {
				if !strings.Contains(string(spec), "`"+v+"`") {
					t.Errorf("the spec does not name %s, a value of %s.%s", v, typ.Name(), f.Name)
				}
			}
		}
	}
}

// described is a row type as a new field of the return would be added:
// by its tags only.
type described struct {
	ID     string           `json:"id" ret:"required,text=id"`
	Level  string           `json:"level,omitempty" ret:"enum=HazardLevels,default=none"`
	KWh    decimal.Decimal  `json:"kwh,omitempty"`
	Share  *decimal.Decimal `json:"share,omitempty"`
	Units  *int64           `json:"units,omitempty"`
	Marked bool             `json:"marked,omitempty"`
	Tags   []string         `json:"tags,omitempty" ret:"text=id"`
}

// TestDescribedFieldIsRead reads a type known only by its tags from JSON
// and from CSV cells, with the problems and defaults of the return's own
// fields.
func TestDescribedFieldIsRead(t *testing.T) {
	p, err := planBuilder{}.plan(reflect.TypeFor[described]())
	if err != nil {
		t.Fatal(err)
	}
	read := func(body string) (described, problems) {
		var v described
		d := &jsonReader{lex: newLexer([]byte(body))}
		p.read(d, reflect.ValueOf(&v).Elem(), false)
		return v, d.probs
	}
	v, probs := read(`{"id":"a-1","kwh":"1.5","share":0.25,"units":3,"marked":true,"tags":["x"]}`)
	if probs.count() != 0 || v.ID != "a-1" || v.Level != "none" || !v.KWh.Equal(decimal.RequireFromString("1.5")) ||
		v.Share == nil || v.Share.String() != "0.25" || v.Units == nil || *v.Units != 3 || !v.Marked || len(v.Tags) != 1 {
		t.Fatalf("read %+v, problems %+v", v, probs.list)
	}
	v, probs = read(`{"level":"extreme","kwh":"1e3","share":null,"tags":["a\tb"],"other":1}`)
	want := []ledger.FieldError{
		{Path: "level", Message: `must be one of none, low, medium, high; got "extreme"`},
		{Path: "kwh", Message: "must not have an exponent: write the digits out, e.g. 1500 not 1.5e3"},
		{Path: "tags[0]", Message: "contains U+0009, a line break or tab (only free text may have them), at character 2"},
		{Path: "other", Message: "unknown field"},
		{Path: "id", Message: "is required"},
	}
	if !reflect.DeepEqual(probs.list, want) || v.Share != nil {
		t.Fatalf("problems %+v, want %+v (share %v)", probs.list, want, v.Share)
	}

	var row described
	rv := reflect.ValueOf(&row).Elem()
	rv.Set(p.proto)
	var cprobs problems
	c := cellCtx{file: "x.csv", line: 2, probs: &cprobs, in: &interner{}}
	for _, cell := range []struct{ col, val string }{{"id", ""}, {"level", ""}, {"kwh", "-2"}, {"share", ""}, {"units", "x"}, {"marked", "true"}} {
		f := p.field(cell.col)
		c.cell, c.column = cell.val, f.Name
		f.cell(&c, rv.Field(f.Index))
	}
	wantCSV := []ledger.FieldError{
		{Path: "x.csv:line 2:column id", Message: "is required"},
		{Path: "x.csv:line 2:column units", Message: `must be a whole number, e.g. 12; got "x"`},
	}
	if !reflect.DeepEqual(cprobs.list, wantCSV) || row.Level != "none" || row.KWh.String() != "-2" || row.Share != nil || !row.Marked {
		t.Fatalf("row %+v, problems %+v", row, cprobs.list)
	}
}
