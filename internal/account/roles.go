package account

import "fmt"

// Roles a membership can carry.
const (
	RoleOwner   = "owner"
	RoleAdmin   = "admin"
	RoleAuditor = "auditor"
)

// ParseRole validates a role name.
func ParseRole(s string) (string, error) {
	switch s {
	case RoleOwner, RoleAdmin, RoleAuditor:
		return s, nil
	}
	return "", fmt.Errorf("role must be owner, admin or auditor, got %q", s)
}

// CanWrite reports whether a role may change anything in its organization.
func CanWrite(role string) bool { return role == RoleOwner || role == RoleAdmin }
