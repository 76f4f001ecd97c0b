package githubsim

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"maps"
	"sync"
)

// The demo App, registered and installed on the demo organization. These
// values are public test fixtures.
const (
	// DefaultAppID is the demo App's numeric id.
	DefaultAppID = 98765
	// DefaultAppClientID is the demo App's client id.
	DefaultAppClientID = "Iv23liSIMULATED0001"
	// DefaultAppSlug is the demo App's slug.
	DefaultAppSlug = "attest-sim"
	// DefaultInstallationID is the demo App's installation on DefaultOrgLogin.
	DefaultInstallationID = 12345678
)

var (
	demoKeyOnce sync.Once
	demoKey     *rsa.PrivateKey
)

// DemoKey is the demo App's private key, generated once per process.
func DemoKey() *rsa.PrivateKey {
	demoKeyOnce.Do(func() { demoKey = newKey() })
	return demoKey
}

func newKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic("githubsim: generate key: " + err.Error())
	}
	return k
}

// DefaultApp returns the demo App: DefaultAppID, DefaultAppClientID, the
// minimal permissions and DemoKey.
func DefaultApp() *AppSpec {
	return &AppSpec{ID: DefaultAppID, Slug: DefaultAppSlug, Name: "attest (simulated App)", ClientID: DefaultAppClientID,
		ClientSecret: "sim-client-secret", Key: DemoKey(), Permissions: Permissions()}
}

// PEM encodes a private key as GitHub's download does: PKCS#1.
func PEM(k *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
}

// app is a registered App as the simulator keeps it.
type app struct {
	spec  AppSpec
	owner string
	pub   *rsa.PublicKey
}

func newApp(spec AppSpec, owner string) *app {
	spec.Permissions = maps.Clone(spec.Permissions)
	return &app{spec: spec, owner: owner, pub: &spec.Key.PublicKey}
}
