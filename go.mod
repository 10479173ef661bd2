module github.com/ictledger/ictledger

go 1.26.8

require (
	github.com/gorilla/mux v1.8.1 // indirect
	github.com/hashicorp/go-immutable-radix v1.3.1 // indirect
	github.com/hashicorp/go-memdb v1.3.5 // indirect
	github.com/hashicorp/golang-lru v0.5.4 // indirect
	github.com/jung-kurt/gofpdf v1.16.2 // indirect
	github.com/prometheus/client_golang v1.23.2 // indirect
	github.com/shopspring/decimal v1.4.0 // indirect
	golang.org/x/mod v0.43.0 // indirect
)
