package evidence_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/evidence"
)

func TestFlattenPinsEveryValueShape(t *testing.T) {
	t.Parallel()
	order := []string{"s", "n", "b", "z", "l", "o", "missing"}
	for _, tc := range []struct {
		name    string
		payload string
		want    []string
	}{
		{"strings unescaped", `{"s":"a \"q\" \u00e9 =1"}`, []string{`a "q" é =1`, "", "", "", "", "", ""}},
		{"numbers as written", `{"n":1.50e3}`, []string{"", "1.50e3", "", "", "", "", ""}},
		{"negative integer", `{"n":-3}`, []string{"", "-3", "", "", "", "", ""}},
		{"bools", `{"b":true,"z":false}`, []string{"", "", "true", "false", "", "", ""}},
		{"null is empty", `{"s":null,"b":null}`, []string{"", "", "", "", "", "", ""}},
		{"lists joined", `{"l":["x",2,true,null,["y","z"]]}`, []string{"", "", "", "", "x; 2; true; ; y; z", "", ""}},
		{"empty list", `{"l":[]}`, []string{"", "", "", "", "", "", ""}},
		{"nested object compact with sorted keys", `{"o":{"b":1, "a":[1,"x"]}}`, []string{"", "", "", "", "", `{"a":[1,"x"],"b":1}`, ""}},
		{"order kept, others skipped", `{"x":{"deep":[1,2]},"b":false,"s":"v"}`, []string{"v", "", "false", "", "", "", ""}},
		{"escaped names", `{"\u0073":"named"}`, []string{"named", "", "", "", "", "", ""}},
		{"last duplicate wins", `{"s":"one","s":"two"}`, []string{"two", "", "", "", "", "", ""}},
		{"null payload", `null`, []string{"", "", "", "", "", "", ""}},
		{"not an object", `["s"]`, []string{"", "", "", "", "", "", ""}},
		{"bad JSON", `{"s":"v",`, []string{"", "", "", "", "", "", ""}},
		{"truncated value", `{"s":"v","n":`, []string{"", "", "", "", "", "", ""}},
		{"empty payload", ``, []string{"", "", "", "", "", "", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, evidence.Flatten(order, []byte(tc.payload)))
		})
	}
}
