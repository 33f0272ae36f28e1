package experiment

import (
	"fmt"
	"testing"
)

func TestScratch(t *testing.T) {
	r := CompareProportions(Counts{1000, 150}, Counts{1000, 120}, 0.95)
	fmt.Printf("%+v\n", r)
	for _, c := range [][2]int64{{81, 263}, {15, 148}, {0, 20}, {1, 29}, {120, 1000}} {
		fmt.Println(c, Wilson(c[0], c[1], 0.95))
	}
	for _, c := range [][4]int64{{56, 70, 48, 80}, {9, 10, 3, 10}, {6, 7, 2, 7}, {5, 56, 0, 29}, {0, 10, 0, 20}, {0, 10, 0, 10}, {10, 10, 0, 20}, {10, 10, 0, 10}} {
		fmt.Println(c, CompareProportions(Counts{c[1], c[0]}, Counts{c[3], c[2]}, 0.95).CI)
	}
	a1 := []float64{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4}
	a2 := []float64{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4}
	s1, s2 := Sample{N: 15, Values: a1}, Sample{N: 15, Values: a2}
	fmt.Printf("%+v\n", Welch(s1.Moments(), s2.Moments(), 0.95))
	fmt.Println(ProbGreater(BetaDist{151, 851}, BetaDist{121, 881}), ProbBest([]BetaDist{{151, 851}, {121, 881}}))
	fmt.Println(ProbGreater(BetaDist{2, 1}, BetaDist{1, 1}), ProbGreater(BetaDist{1, 2}, BetaDist{1, 1}))
	fmt.Println(ProbGreater(BetaDist{2.5, 1}, BetaDist{1.5, 1.5}), ProbBest([]BetaDist{{2.5, 1}, {1.5, 1.5}}))
}
