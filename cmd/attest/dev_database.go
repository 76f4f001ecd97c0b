package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/jackc/pgx/v5"

	"github.com/attesthq/attest/db"
	"github.com/attesthq/attest/internal/pgcluster"
)

// appLogin is the application's login role on the local cluster.
const appLogin = "attest_app_login"

// localDatabase is the private cluster of `attest dev` and how to reach it.
type localDatabase struct {
	cluster *pgcluster.Cluster
	// ownerURL logs in as the schema owner, appURL as the application
	// login role (created by ensureAppLogin once the schema exists).
	ownerURL, appURL string
	password         string
}

// startLocalDatabase starts (initializing on first run) the private cluster
// under dir/pg and makes sure the attest role and database exist.
func startLocalDatabase(ctx context.Context, w io.Writer, dir string) (*localDatabase, error) {
	if _, err := pgcluster.FindBinDir(); err != nil {
		return nil, err
	}
	password, err := secretFile(filepath.Join(dir, "pg.password"))
	if err != nil {
		return nil, err
	}
	dataDir, err := clusterDir(w, dir)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(w, "starting the local PostgreSQL cluster in", dataDir, "…")
	cluster, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dataDir, Password: password, Durable: true, MaxConnections: 100})
	if err != nil {
		return nil, err
	}
	if err := ensureOwner(ctx, cluster.SuperuserURL("postgres"), password); err != nil {
		_ = cluster.Stop(context.Background(), false)
		return nil, err
	}
	return &localDatabase{cluster: cluster, password: password,
		ownerURL: cluster.URL("attest", password, "attest"), appURL: cluster.URL(appLogin, password, "attest")}, nil
}

// ensureAppLogin creates the application login role, a member of
// db.AppRole and nothing else, once the migrations have created that role.
func (l *localDatabase) ensureAppLogin(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, l.cluster.SuperuserURL("attest"))
	if err != nil {
		return fmt.Errorf("connect to the local cluster: %w", err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)`, appLogin).Scan(&exists); err != nil {
		return fmt.Errorf("look up role %s: %w", appLogin, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, `CREATE ROLE `+appLogin+` LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE IN ROLE `+db.AppRole+
		` PASSWORD `+quoteLiteral(l.password))
	if err != nil {
		return fmt.Errorf("create role %s: %w", appLogin, err)
	}
	return nil
}

// ensureOwner creates the attest role (able to create the application roles,
// nothing more) and its database.
func ensureOwner(ctx context.Context, superURL, password string) error {
	conn, err := pgx.Connect(ctx, superURL)
	if err != nil {
		return fmt.Errorf("connect to the local cluster: %w", err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'attest')`).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if _, err := conn.Exec(ctx, `CREATE ROLE attest LOGIN CREATEROLE PASSWORD `+quoteLiteral(password)); err != nil {
			return fmt.Errorf("create role attest: %w", err)
		}
	}
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = 'attest')`).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if _, err := conn.Exec(ctx, `CREATE DATABASE attest OWNER attest`); err != nil {
			return fmt.Errorf("create database attest: %w", err)
		}
	}
	return nil
}

func quoteLiteral(s string) string {
	out := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			out = append(out, '\'')
		}
		out = append(out, s[i])
	}
	return string(append(out, '\''))
}

// clusterDir is dir/pg, unless the server (which runs as the postgres user
// when we are root) cannot reach it — say the checkout sits in /root. Then the
// cluster lives in /var/lib/attest/<hash> and dir/pg links to it.
func clusterDir(w io.Writer, dir string) (string, error) {
	link := filepath.Join(dir, "pg")
	if target, err := os.Readlink(link); err == nil {
		return target, nil
	}
	if os.Geteuid() != 0 || postgresCanReach(dir) {
		return link, nil
	}
	sum := sha256.Sum256([]byte(dir))
	target := filepath.Join("/var/lib/attest", "dev-"+hex.EncodeToString(sum[:])[:12])
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return "", err
	}
	if err := os.Symlink(target, link); err != nil {
		return "", fmt.Errorf("link %s: %w", link, err)
	}
	fmt.Fprintf(w, "the postgres user cannot reach %s, so the cluster lives in %s (linked from %s)\n", dir, target, link)
	return target, nil
}

// postgresCanReach reports whether the postgres OS user can traverse every
// directory down to dir.
func postgresCanReach(dir string) bool {
	u, err := user.Lookup("postgres")
	if err != nil {
		return false
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return errors.Is(err, os.ErrNotExist)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		mode := fi.Mode().Perm()
		switch {
		case ok && int(st.Uid) == uid:
			if mode&0o100 == 0 {
				return false
			}
		case ok && int(st.Gid) == gid:
			if mode&0o010 == 0 {
				return false
			}
		case mode&0o001 == 0:
			return false
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}
