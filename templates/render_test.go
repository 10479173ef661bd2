package templates

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var outDir = flag.String("out", "", "write the fixture PDFs into this directory (for looking at them)")

func fixtureAttachment() []byte {
	return []byte(`{"entries":[{"seq":40107}],"checkpoint":"ictledger.apt.example/ledger\n48213\n"}`)
}

// TestWriteFixtures renders the fixtures into -out, e.g.
// go test ./templates -run WriteFixtures -out DIR
func TestWriteFixtures(t *testing.T) {
	if *outDir == "" {
		t.Skip("no -out directory")
	}
	disc, err := RenderOperatorDisclosure(fixtureDisclosure(), fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	sector, err := RenderSectorReport(fixtureSector(50), fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	thai, err := RenderOperatorDisclosure(fixtureThaiDisclosure(), fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"disclosure.pdf": disc, "sector.pdf": sector, "disclosure-th.pdf": thai} {
		if err := os.WriteFile(filepath.Join(*outDir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
