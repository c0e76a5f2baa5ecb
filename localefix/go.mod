module env.securemail.invalid/localefix

go 1.26.0
