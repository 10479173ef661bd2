package service

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/ictledger/ictledger/ledger"
)

// Public is the actor of a request without a token.
var Public = ledger.Actor{}

// secretPrefix marks ictledger bearer secrets so that they are easy to
// find by secret scanners and never mistaken for an id.
const secretPrefix = "ictl_"

// HashSecret is how a bearer secret is stored: hex SHA-256. Secrets are 256
// random bits, so a fast hash is enough; a slow password hash would only
// slow every request.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// newSecret makes a bearer secret and a token id.
func newSecret() (id, secret string) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	var idb [6]byte
	if _, err := rand.Read(idb[:]); err != nil {
		panic(err)
	}
	return "tok-" + hex.EncodeToString(idb[:]), secretPrefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// Authenticate returns the actor a bearer secret stands for. An unknown or
// revoked secret is EUnauthorized. The comparison of the stored hash is
// constant-time; the lookup is by hash, which reveals nothing about the
// secret.
func (s *Service) Authenticate(secret string) (ledger.Actor, error) {
	if secret == "" {
		return Public, ledger.Errorf(ledger.EUnauthorized, "a bearer token is required")
	}
	h := HashSecret(secret)
	if s.cfg.AdminSecretHash != "" && subtle.ConstantTimeCompare([]byte(h), []byte(s.cfg.AdminSecretHash)) == 1 {
		return ledger.Actor{TokenID: envAdminID, Role: ledger.RoleAdmin}, nil
	}
	t := s.st.TokenBySecretHash(h)
	if t == nil || subtle.ConstantTimeCompare([]byte(t.SecretHash), []byte(h)) != 1 || t.Revoked {
		return Public, ledger.Errorf(ledger.EUnauthorized, "unknown or revoked token")
	}
	return ledger.Actor{TokenID: t.ID, Role: t.Role, Operator: t.Operator}, nil
}

// envAdminID is the token id of the admin secret given from outside
// (Config.AdminSecretHash). Issued tokens' ids start with "tok-".
const envAdminID = "env-admin"

// TokenActor returns the actor of a valid token by its id: what a web
// session, opened by authenticating the token's secret, checks on every
// request, so that revoking the token ends its sessions at once. It
// authenticates nothing by itself; only the holder of a session opened
// with the secret may be given its answer. An unknown or revoked token is
// EUnauthorized.
func (s *Service) TokenActor(id string) (ledger.Actor, error) {
	if id == envAdminID {
		if s.cfg.AdminSecretHash == "" {
			return Public, ledger.Errorf(ledger.EUnauthorized, "unknown or revoked token")
		}
		return ledger.Actor{TokenID: envAdminID, Role: ledger.RoleAdmin}, nil
	}
	t := s.st.Token(id)
	if t == nil || t.Revoked {
		return Public, ledger.Errorf(ledger.EUnauthorized, "unknown or revoked token")
	}
	return ledger.Actor{TokenID: t.ID, Role: t.Role, Operator: t.Operator}, nil
}

// requireRole allows actors with one of roles.
func requireRole(a ledger.Actor, roles ...ledger.Role) error {
	if a.Role == "" {
		return ledger.Errorf(ledger.EUnauthorized, "a bearer token is required")
	}
	for _, r := range roles {
		if a.Role == r {
			return nil
		}
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return ledger.Errorf(ledger.EForbidden, "this needs the %s role", strings.Join(names, " or "))
}

// requireOperatorWrite allows only the operator itself.
func requireOperatorWrite(a ledger.Actor, operator string) error {
	if err := requireRole(a, ledger.RoleOperator); err != nil {
		return err
	}
	if a.Operator != operator {
		return ledger.Errorf(ledger.EForbidden, "this token may only file for operator %s", a.Operator)
	}
	return nil
}
