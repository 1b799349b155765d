package study

import (
	"encoding/json"
	"fmt"
	"os"
)

// PublishedRow is a row of the study's published Table IV.
type PublishedRow struct {
	Policy      string  `json:"policy"`
	SyntaxPct   float64 `json:"syntax_pct"`
	AnyPassPct  float64 `json:"any_test_pass_pct"`
	SecCleanPct float64 `json:"security_clean_pct"`
	MeanR       float64 `json:"mean_r"`
}

// PublishedTableIV reads the study's Table IV from its tables file (the
// shared data's study/tables.json).
func PublishedTableIV(path string) (caption string, rows []PublishedRow, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("study tables: %w", err)
	}
	var t struct {
		TableIV *struct {
			Caption string         `json:"caption"`
			Rows    []PublishedRow `json:"rows"`
		} `json:"table_iv"`
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return "", nil, fmt.Errorf("study tables %s: %w", path, err)
	}
	if t.TableIV == nil || len(t.TableIV.Rows) == 0 {
		return "", nil, fmt.Errorf("study tables %s: no table_iv rows", path)
	}
	return t.TableIV.Caption, t.TableIV.Rows, nil
}
