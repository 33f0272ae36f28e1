package support

// BudgetOf exports budgetOf to the need tests.
var BudgetOf = budgetOf
