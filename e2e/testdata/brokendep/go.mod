module example.com/brokendep

go 1.26

require example.com/dep v0.0.0

replace example.com/dep => ./dep
