package githubsim

// Install installs App appID on the organization: selection "all", or
// "selected" with the named repositories. It returns the installation id.
func (s *Simulator) Install(appID int64, selection string, repos ...string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := map[string]bool{}
	for _, r := range repos {
		set[r] = true
	}
	return s.installLocked(appID, selection, set).id
}

// installLocked replaces any live installation of the App on the
// organization (an App is installed on an account once).
func (s *Simulator) installLocked(appID int64, selection string, repos map[string]bool) *installation {
	for _, i := range s.installs {
		if i.appID == appID && !i.deleted {
			i.deleted = true
		}
	}
	s.nextID++
	i := &installation{id: s.nextID, appID: appID, selection: selection, repos: repos,
		permissions: s.apps[appID].spec.Permissions, created: s.now()}
	s.installs[i.id] = i
	return i
}

// Uninstall removes an installation: its tokens stop working (401), its
// lookup and token endpoints answer 404.
func (s *Simulator) Uninstall(installationID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.installs[installationID]; i != nil {
		i.deleted = true
	}
}

// Suspend suspends an installation: the token endpoint and its tokens answer
// 403 "This installation has been suspended", and suspended_at is set.
func (s *Simulator) Suspend(installationID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.installs[installationID]; i != nil {
		at := s.now()
		i.suspended = &at
	}
}

// SetPlan changes the organization's plan; PlanFree refuses protection of
// private repositories with the documented 403.
func (s *Simulator) SetPlan(p Plan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.org.Plan = p
}

// SetPermissions replaces an installation's granted permissions, as an
// owner narrowing (or not approving) them would.
func (s *Simulator) SetPermissions(installationID int64, perms map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.installs[installationID]; i != nil {
		i.permissions = perms
	}
}

// Edit runs f on the organization under the simulator's lock, to change
// its data between syncs.
func (s *Simulator) Edit(f func(o *Org)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.org)
}
