package golit_test

import (
	"fmt"
	"time"

	"github.com/miplay/miplay/app/golit"
)

type Token struct {
	Audience  string
	Scopes    []string
	ExpiresAt time.Time
}

func ExampleOf() {
	lit, err := golit.Of(&Token{
		Audience:  "https://storage.azure.com/",
		Scopes:    []string{"user_impersonation"},
		ExpiresAt: time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC),
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("var token = %s\n", lit.Expr)
	for _, t := range lit.Times {
		fmt.Printf("token%s = %s\n", t.Path, t.Value.Format(time.RFC3339))
	}
	// Output:
	// var token = &golit_test.Token{
	// 	Audience: "https://storage.azure.com/",
	// 	Scopes: []string{
	// 		"user_impersonation",
	// 	},
	// 	ExpiresAt: time.Time{},
	// }
	// token.ExpiresAt = 2026-01-15T10:00:00Z
}
