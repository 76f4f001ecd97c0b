package archtest

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// sqlPackages are the packages whose functions and methods send SQL or
// open transactions.
var sqlPackages = []string{
	"github.com/jackc/pgx/v5", "github.com/jackc/pgx/v5/pgxpool", "github.com/jackc/pgx/v5/pgconn",
	module + "/db/dbsqlc", // DBTX: the generated queries' handle
}

// sqlCalls are the functions and methods that send SQL text or open a
// transaction outside db's scoped helpers.
var sqlCalls = []string{"Exec", "Query", "QueryRow", "SendBatch", "CopyFrom", "Prepare",
	"Begin", "BeginTx", "BeginFunc", "BeginTxFunc"}

// sqlHomes send SQL by design.
var sqlHomes = map[string]string{
	"db":                 "the schema, the migrations, the scoped transactions and the generated queries",
	"internal/testdb":    "test databases: clusters, roles and templates",
	"internal/pgcluster": "starts and stops private PostgreSQL clusters",
}

// sqlExceptions send SQL outside db, each for a stated reason. A new one
// must be added here deliberately, or the SQL moved into a query or a db
// helper.
var sqlExceptions = map[string]string{
	"cmd/attest/dev_database.go":    "attest dev creates its local database and login roles, as the cluster's superuser, before any schema exists",
	"internal/export/stream.go":     "streams a generated query's rows straight to the client (it captures the query's text to run it unbuffered)",
	"internal/document/store.go":    "streams a revision's stored chunks in order without holding the file in memory",
	"internal/evidence/subjects.go": "reads a dataset's current subjects row by row into compact ids, without holding every row's strings at once",
	"internal/synctest/synctest.go": "test helper (no test file name): counts rows for assertions",
}

// TestSQLIsSentOnlyFromDB type-checks every package outside db and fails
// on each call that sends SQL or opens a transaction (a pgx or DBTX method,
// or pgx's Begin functions) from a file that is not a listed exception.
func TestSQLIsSentOnlyFromDB(t *testing.T) {
	t.Parallel()
	pkgs := goList(t, "-export", "-deps")
	exports := map[string]string{}
	for _, p := range pkgs {
		exports[p.ImportPath] = p.Export
	}
	fset := token.NewFileSet()
	var found []string
	for _, p := range pkgs {
		if !p.own() || home(p.rel()) {
			continue
		}
		require.Emptyf(t, p.CgoFiles, "%s uses cgo, which this check cannot type", p.ImportPath)
		imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
			if mapped, ok := p.ImportMap[path]; ok {
				path = mapped
			}
			return os.Open(exports[path])
		})
		var files []*ast.File
		for _, name := range p.files() {
			f, err := parser.ParseFile(fset, name, nil, 0)
			require.NoError(t, err)
			files = append(files, f)
		}
		info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
		_, err := (&types.Config{Importer: imp}).Check(p.ImportPath, fset, files, info)
		require.NoError(t, err, p.ImportPath)
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				obj := info.Uses[sel.Sel]
				if s, ok := info.Selections[sel]; ok {
					obj = s.Obj()
				}
				if obj == nil || obj.Pkg() == nil || !slices.Contains(sqlPackages, obj.Pkg().Path()) || !slices.Contains(sqlCalls, obj.Name()) {
					return true
				}
				pos := fset.Position(call.Pos())
				file := p.rel() + "/" + baseName(pos.Filename)
				if _, ok := sqlExceptions[file]; !ok {
					found = append(found, fmt.Sprintf("%s:%d: %s.%s sends SQL outside db", file, pos.Line, obj.Pkg().Name(), obj.Name()))
				}
				return true
			})
		}
	}
	require.Empty(t, found, "move the SQL into queries/ (sqlc) or a db helper, or list the file in sqlExceptions with its reason")
}

// home reports whether rel is one of the packages that send SQL by design.
func home(rel string) bool {
	for dir := range sqlHomes {
		if under(rel, dir) {
			return true
		}
	}
	return false
}

// TestSetConfigOnlyInDB: the transaction settings row-level security reads
// (and every other) are set only by db's helpers, never by hand.
func TestSetConfigOnlyInDB(t *testing.T) {
	t.Parallel()
	var found []string
	for _, p := range goList(t) {
		if !p.own() || under(p.rel(), "db") {
			continue
		}
		for _, name := range p.files() {
			src, err := os.ReadFile(name)
			require.NoError(t, err)
			if strings.Contains(string(src), "set_config") {
				found = append(found, p.rel()+"/"+baseName(name))
			}
		}
	}
	require.Empty(t, found, "set app.org_id through db.InOrg, db.BeginInOrg or db.ScopeToOrg, other settings through a db helper")
}
