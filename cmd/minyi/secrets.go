package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"minyi/org"
	"minyi/store"
)

// demoKeyFile is where serve --demo keeps the key it makes when none is
// given, beside the demo's SQLite database.
const demoKeyFile = "secret.key"

// secretKey returns the key that seals secrets at rest (staff TOTP
// secrets): from --secret-key-file or MINYI_SECRET_KEY, or, for the demo
// only, from a key file in the SQLite data directory, made on first start
// (a PostgreSQL demo gets a key for the run). Nil means no key.
func secretKey(cfg *config, getenv func(string) string, stdout io.Writer, log *slog.Logger) (*org.SecretKey, error) {
	env := getenv("MINYI_SECRET_KEY")
	switch {
	case cfg.SecretKeyFile != "" && env != "":
		return nil, usageErr("give the secret key either with --secret-key-file or with MINYI_SECRET_KEY, not both")
	case env != "":
		k, err := org.ParseSecretKey(env)
		if err != nil {
			return nil, fmt.Errorf("MINYI_SECRET_KEY: %w", err)
		}
		return k, nil
	case cfg.SecretKeyFile != "":
		return readKeyFile(cfg.SecretKeyFile, log)
	case cfg.Demo && cfg.Database != "":
		// No data directory belongs to a PostgreSQL demo: the key lives
		// for this run only, and a restart after someone set up a second
		// factor asks for a key like any server.
		fmt.Fprintln(stdout, "demo: TOTP secrets are encrypted with a key made for this run only (give --secret-key-file to keep them across restarts)")
		return org.ParseSecretKey(org.NewSecretKeyText())
	case cfg.Demo:
		path := filepath.Join(cfg.Data, demoKeyFile)
		k, err := readKeyFile(path, log)
		if !errors.Is(err, fs.ErrNotExist) {
			return k, err
		}
		if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, err
		}
		text := org.NewSecretKeyText()
		if _, err := fmt.Fprintln(f, text); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
		fmt.Fprintf(stdout, "demo: made a secret key for TOTP secrets in %s (demo only: give a real server its own, see docs/OPERATIONS.md)\n", path)
		return org.ParseSecretKey(text)
	}
	return nil, nil
}

// readKeyFile reads a key file, warning when others may read it.
func readKeyFile(path string, log *slog.Logger) (*org.SecretKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--secret-key-file: %w", err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		log.Warn("the secret key file can be read by other users: chmod 600 it", "file", path, "mode", st.Mode().Perm().String())
	}
	k, err := org.ParseSecretKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("--secret-key-file %s: %w", path, err)
	}
	return k, nil
}

// prepareSecrets hands the key to the store and checks it against the
// stored TOTP secrets, sealing any an older version left in clear. A
// database holding secrets is refused without its key or with another.
func prepareSecrets(ctx context.Context, db *store.DB, key *org.SecretKey, requireAdminTOTP bool, log *slog.Logger) error {
	db.SetSecretKey(key)
	n, err := db.PrepareTOTPSecrets(ctx)
	var wrong *org.WrongKeyError
	switch {
	case errors.Is(err, org.ErrNoSecretKey):
		return errors.New("the database holds staff TOTP secrets, which are encrypted at rest: start with the key, " +
			"--secret-key-file PATH or MINYI_SECRET_KEY (32 bytes, base64 or hex); see docs/OPERATIONS.md")
	case errors.As(err, &wrong):
		return fmt.Errorf("wrong secret key: the TOTP secrets were encrypted with key %s, but the key given (--secret-key-file or MINYI_SECRET_KEY) is %s",
			wrong.Sealed, wrong.Given)
	case err != nil:
		return fmt.Errorf("checking the TOTP secrets against the secret key: %w", err)
	}
	if n > 0 {
		log.Info("encrypted the TOTP secrets stored in clear by an older version", "users", n, "key", key.ID())
	}
	if key == nil {
		if requireAdminTOTP {
			return usageErr("--require-admin-totp needs a secret key to store the admins' TOTP secrets: --secret-key-file PATH or MINYI_SECRET_KEY")
		}
		log.Warn("no secret key (--secret-key-file or MINYI_SECRET_KEY): staff cannot set up a second factor (TOTP) until one is given")
	}
	return nil
}
