module securemail

go 1.26
