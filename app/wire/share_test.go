package wire

import "testing"

func TestCompletionApply(t *testing.T) {
	tests := []struct {
		c      Completion
		line   string
		cursor int
		want   string
		wantAt int
	}{
		{Completion{Start: 6, Word: "ide", Candidates: []string{"identity"}}, "az vm ide", 9, "az vm identity ", 15},
		{Completion{Start: 3, Word: "gr", Candidates: []string{"group"}}, "az gr -n rg", 5, "az group -n rg", 8},
		{Completion{Start: 3, Word: "v", Candidates: []string{"vm", "vmss"}}, "az v", 4, "az vm", 5},
		{Completion{Start: 3, Word: "vm", Candidates: []string{"vm", "vmss"}}, "az vm", 5, "az vm", 5},
		{Completion{Start: 5, Word: "/su", Candidates: []string{"/subscriptions/"}}, "echo /su", 8, "echo /subscriptions/", 20},
		{Completion{Word: "x"}, "x", 1, "x", 1},
		// An answer that does not fit the line (it was for another) changes nothing.
		{Completion{Start: 9, Candidates: []string{"vm"}}, "az ", 3, "az ", 3},
		{Completion{Start: -1, Candidates: []string{"vm"}}, "az ", 3, "az ", 3},
		{Completion{Start: 0, Candidates: []string{"vm"}}, "az ", 7, "az ", 7},
	}
	for _, tt := range tests {
		got, at := tt.c.Apply(tt.line, tt.cursor)
		if got != tt.want || at != tt.wantAt {
			t.Errorf("%+v.Apply(%q, %d) = %q, %d; want %q, %d", tt.c, tt.line, tt.cursor, got, at, tt.want, tt.wantAt)
		}
	}
}
