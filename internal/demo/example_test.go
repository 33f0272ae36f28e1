package demo_test

import (
	"fmt"
	"strings"

	"github.com/chorusmkt/chorus/internal/demo"
)

// Generate draws the shop in memory; Build writes the same data through a
// store. The seed persona and the camera bag are there for every seed.
func ExampleGenerate() {
	shop, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed, Customers: 50})
	if err != nil {
		panic(err)
	}
	for _, c := range shop.Customers {
		if c.ID == demo.SeedPersonaID {
			fmt.Println(c.Name, c.Age(shop.Report.End), c.Occupation, c.City, c.TimeZone, strings.Join(c.Interests, "、"))
		}
	}
	for _, p := range shop.Products {
		if p.SKU == demo.CameraBagSKU {
			fmt.Println(p.Title, p.Category, p.Price, p.Currency, strings.Join(p.SellingPoints, "、"))
			fmt.Println(p.Description)
		}
	}
	fmt.Println(shop.Report.Start.Format("2006-01-02"), "to", shop.Report.End.Format("2006-01-02"), "(exclusive)")
	// Output:
	// 王芳 25 设计师 上海 Asia/Shanghai 时尚、旅行、摄影
	// 时尚相机包 摄影 > 相机包 399 CNY 防水、防震、轻便、大容量
	// 防水防震、轻便耐用，适合旅行和户外拍摄的时尚相机包
	// 2025-11-01 to 2026-11-01 (exclusive)
}
