package entra

import (
	"strconv"

	"github.com/go-json-experiment/json/jsontext"
)

// The two kinds a sync holds one record of per user (entra.user and
// entra.mfa_registration) encode by hand: jsonv2.Marshal's reflection was a
// sixth of an unchanged resync's CPU. The output is byte for byte what
// jsonv2.Marshal makes of the same value (TestEncodersMatchMarshal), so
// fingerprints do not depend on which encoder ran.

// encoder is a record type with a hand-written encoding.
type encoder interface {
	encode() ([]byte, error)
}

func (u User) encode() ([]byte, error) {
	o := newObject(210 + len(u.ID) + len(u.DisplayName) + len(u.UserPrincipalName) + len(u.Mail) + len(u.UserType) +
		len(u.CreatedAt) + len(u.LastSignIn) + len(u.LastSuccessfulSignIn))
	o.str("id", u.ID)
	o.str("display_name", u.DisplayName)
	o.str("user_principal_name", u.UserPrincipalName)
	o.str("mail", u.Mail)
	o.boolean("account_enabled", u.AccountEnabled)
	o.str("user_type", u.UserType)
	o.str("created_at", u.CreatedAt)
	o.boolean("sign_in_activity_available", u.SignInActivityAvailable)
	o.str("last_sign_in", u.LastSignIn)
	o.str("last_successful_sign_in", u.LastSuccessfulSignIn)
	return o.end()
}

func (r MFARegistration) encode() ([]byte, error) {
	size := 260 + len(r.ID) + len(r.UserPrincipalName) + len(r.DisplayName) + len(r.UserType) + len(r.PreferredMethod)
	for _, m := range r.MethodsRegistered {
		size += len(m) + 3
	}
	o := newObject(size)
	o.str("id", r.ID)
	o.str("user_principal_name", r.UserPrincipalName)
	o.str("display_name", r.DisplayName)
	o.str("user_type", r.UserType)
	o.boolean("is_admin", r.IsAdmin)
	o.boolean("is_mfa_registered", r.IsMFARegistered)
	o.boolean("is_mfa_capable", r.IsMFACapable)
	o.boolean("is_sspr_registered", r.IsSSPRRegistered)
	o.boolean("is_passwordless_capable", r.IsPasswordlessCapable)
	o.strs("methods_registered", r.MethodsRegistered)
	o.str("preferred_method", r.PreferredMethod)
	return o.end()
}

// The sizes given to newObject are the members' names and punctuation plus
// their values, so the buffer is allocated once (unless a value needs
// escaping).

// jsonObject appends a JSON object one member at a time, in jsonv2's
// default encoding: no insignificant space, strings quoted by
// jsontext.AppendQuote, a nil list as []. Names are written as given and
// must need no escaping.
type jsonObject struct {
	b   []byte
	err error
}

func newObject(size int) jsonObject {
	return jsonObject{b: append(make([]byte, 0, size), '{')}
}

func (o *jsonObject) name(n string) {
	if len(o.b) > 1 {
		o.b = append(o.b, ',')
	}
	o.b = append(o.b, '"')
	o.b = append(o.b, n...)
	o.b = append(o.b, '"', ':')
}

func (o *jsonObject) quote(s string) {
	var err error
	o.b, err = jsontext.AppendQuote(o.b, s)
	if err != nil && o.err == nil {
		o.err = err
	}
}

func (o *jsonObject) str(name, v string) {
	o.name(name)
	o.quote(v)
}

func (o *jsonObject) boolean(name string, v bool) {
	o.name(name)
	o.b = strconv.AppendBool(o.b, v)
}

func (o *jsonObject) strs(name string, v []string) {
	o.name(name)
	o.b = append(o.b, '[')
	for i, s := range v {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.quote(s)
	}
	o.b = append(o.b, ']')
}

func (o *jsonObject) end() ([]byte, error) {
	if o.err != nil {
		return nil, o.err
	}
	return append(o.b, '}'), nil
}
