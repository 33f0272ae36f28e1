package demo

import (
	"context"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
)

// AdminName is the demo's console administrator.
const AdminName = "demo"

// Login is the demo's console sign-in, printed once.
type Login struct {
	Name     string `json:"name"`
	Password string `json:"password"`
	Created  bool   `json:"created"` // false: the password of an existing demo admin was reset
}

// EnsureAdmin gives the demo database its console administrator "demo"
// with a new random password: created on the first run, its password
// reset (and its role made admin) on the next ones, so the last printed
// password is the one that works. A database that holds other console
// users is not a demo database: it gets no demo login (Conflict).
func EnsureAdmin(ctx context.Context, svc *auth.Service) (Login, error) {
	users, err := svc.ListUsers(ctx)
	if err != nil {
		return Login{}, err
	}
	var demo *auth.User
	for i, u := range users {
		if u.Name != AdminName {
			return Login{}, apperr.New(apperr.Conflict, "the database has console users of its own (%s): no demo login is made in it", u.Name)
		}
		demo = &users[i]
	}
	pw, err := auth.RandomPassword()
	if err != nil {
		return Login{}, err
	}
	l := Login{Name: AdminName, Password: pw, Created: demo == nil}
	switch {
	case demo == nil:
		_, err = svc.CreateUser(ctx, AdminName, auth.Admin, pw, "en")
	case demo.Disabled:
		err = apperr.New(apperr.Conflict, "the demo console user is disabled: no demo login is printed")
	default:
		err = svc.SetPassword(ctx, AdminName, pw)
		if err == nil && demo.Role != auth.Admin {
			err = svc.SetRole(ctx, AdminName, auth.Admin)
		}
	}
	return l, err
}
