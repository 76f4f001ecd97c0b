package web

import "github.com/attesthq/attest/db/dbsqlc"

var q = dbsqlc.New()
