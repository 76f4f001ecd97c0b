package alert

import "github.com/google/uuid"

// Subject names what an alert is about: its audit target type ("connection"
// or "document") and that object's id. An alert has exactly one of the two
// (a database constraint holds it).
func Subject(connectionID, documentID *uuid.UUID) (targetType, id string) {
	if documentID != nil {
		return "document", documentID.String()
	}
	if connectionID != nil {
		return "connection", connectionID.String()
	}
	return "", ""
}
