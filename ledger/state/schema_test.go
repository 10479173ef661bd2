package state

import (
	"testing"

	memdb "github.com/hashicorp/go-memdb"
)

func TestSchemaBuilds(t *testing.T) {
	if _, err := memdb.NewMemDB(schema()); err != nil {
		t.Fatal(err)
	}
}
