package entra

import (
	"iter"
	"strings"

	"github.com/google/uuid"
)

// objects holds what the checks need of each directory object of a kind,
// by object id. Entra ids are GUIDs: kept as their 16 bytes, an id costs
// no string (48 bytes of heap for the 36 characters), which for the users
// and registrations of a 50,000-user tenant was 5 MiB held through the
// sync. An id that is not a GUID in its canonical form is kept as it is.
type objects[T any] struct {
	guids map[uuid.UUID]T
	other map[string]T
}

func newObjects[T any]() objects[T] {
	return objects[T]{guids: map[uuid.UUID]T{}, other: map[string]T{}}
}

// objectID is an object's id as objects hold it: a GUID's bytes, or any
// other id as it is. The checks turn it back into a string only for the
// subjects they name.
type objectID struct {
	guid   uuid.UUID
	other  string
	isGUID bool
}

// idOf is id as objects hold it: a GUID when id is one in the canonical
// form (lower case, hyphenated), which the GUID gives back as the same
// string.
func idOf(id string) objectID {
	if len(id) == 36 && !strings.ContainsAny(id, "ABCDEF") {
		if g, err := uuid.Parse(id); err == nil {
			return objectID{guid: g, isGUID: true}
		}
	}
	return objectID{other: id}
}

// String is the id as it was put.
func (id objectID) String() string {
	if id.isGUID {
		return id.guid.String()
	}
	return id.other
}

// put stores v as id's.
func (o objects[T]) put(id string, v T) {
	if k := idOf(id); k.isGUID {
		o.guids[k.guid] = v
	} else {
		o.other[k.other] = v
	}
}

// lookup returns id's value, if stored.
func (o objects[T]) lookup(id objectID) (T, bool) {
	var v T
	var found bool
	if id.isGUID {
		v, found = o.guids[id.guid]
	} else {
		v, found = o.other[id.other]
	}
	return v, found
}

// all yields every object with its id.
func (o objects[T]) all() iter.Seq2[objectID, T] {
	return func(yield func(objectID, T) bool) {
		for g, v := range o.guids {
			if !yield(objectID{guid: g, isGUID: true}, v) {
				return
			}
		}
		for id, v := range o.other {
			if !yield(objectID{other: id}, v) {
				return
			}
		}
	}
}

// values yields every object's value.
func (o objects[T]) values() iter.Seq[T] {
	return func(yield func(T) bool) {
		for _, v := range o.guids {
			if !yield(v) {
				return
			}
		}
		for _, v := range o.other {
			if !yield(v) {
				return
			}
		}
	}
}
