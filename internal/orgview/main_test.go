package orgview_test

import (
	"testing"

	"github.com/attesthq/attest/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }
