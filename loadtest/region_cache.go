package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// CachedRegion returns a data directory that GenerateRegion wrote for
// cfg, under os.TempDir() and named by RegionVersion and cfg, writing it
// first if it is missing: a region of 80,000 returns takes about a
// minute to write, so benchmarks share one between runs. Treat it as
// read-only: open a CopyDir of it, since opening a ledger stores
// checkpoints and serving one may record documents.
func CachedRegion(ctx context.Context, cfg RegionConfig) (string, error) {
	if err := cfg.check(); err != nil {
		return "", err
	}
	name := fmt.Sprintf("ictledger-%s-%dx%dx%d-%d-%d", RegionVersion, cfg.Jurisdictions, cfg.Operators, cfg.Years, cfg.LastYear, cfg.Seed)
	dir := filepath.Join(os.TempDir(), name)
	if _, err := os.Stat(filepath.Join(dir, TokensFile)); err == nil {
		return dir, nil // the tokens file is written last
	}
	tmp, err := os.MkdirTemp(os.TempDir(), name+".partial-")
	if err != nil {
		return "", err
	}
	if _, err := GenerateRegion(ctx, tmp, cfg); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another run may have finished first; its directory will do.
		os.RemoveAll(tmp)
		if _, serr := os.Stat(filepath.Join(dir, TokensFile)); serr == nil {
			return dir, nil
		}
		return "", fmt.Errorf("loadtest: keep the generated region: %w", err)
	}
	return dir, nil
}

// CopyDir copies the regular files of the data directory src into dst
// (created, mode 0700), keeping their modes.
func CopyDir(src, dst string) error {
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		if err := copyFile(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()), info.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string, mode fs.FileMode) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	if _, err := io.Copy(out, in); err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return nil
}

// RegionFromEnv is the benchmarks' region: 40 jurisdictions x 50
// operators x 10 years, or the sizes in ICTLEDGER_BENCH_REGION
// ("JxOxY", e.g. "4x50x2" for a quick run).
func RegionFromEnv() (RegionConfig, error) {
	cfg := RegionConfig{Jurisdictions: 40, Operators: 50, Years: 10, LastYear: 2025, Seed: 1}
	s := os.Getenv("ICTLEDGER_BENCH_REGION")
	if s == "" {
		return cfg, nil
	}
	var n [3]int
	parts := strings.Split(s, "x")
	if len(parts) != 3 {
		return cfg, fmt.Errorf("ICTLEDGER_BENCH_REGION: want JxOxY, got %q", s)
	}
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return cfg, fmt.Errorf("ICTLEDGER_BENCH_REGION: %q: %w", s, err)
		}
		n[i] = v
	}
	cfg.Jurisdictions, cfg.Operators, cfg.Years = n[0], n[1], n[2]
	return cfg, cfg.check()
}
