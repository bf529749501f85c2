// Newton–Raphson with exact derivatives: the implied volatility of a European
// call option. The Black–Scholes price is written once, generically; forward
// mode gives vega (∂price/∂σ) exactly, and Newton's method inverts the price.
import Leibniz

/// The standard normal cumulative distribution function, Φ(x) = erfc(−x/√2)/2.
func normalCDF<T: Differentiable>(_ x: T) -> T {
  erfc(-x / T(2.0.squareRoot())) / 2
}

/// The Black–Scholes price of a European call.
func callPrice<T: Differentiable>(
  spot: Double, strike: Double, years: Double, rate: Double, volatility sigma: T
) -> T {
  let s = T(spot), k = T(strike), t = T(years), r = T(rate)
  let d1 = (log(s / k) + (r + sigma * sigma / 2) * t) / (sigma * sqrt(t))
  let d2 = d1 - sigma * sqrt(t)
  return s * normalCDF(d1) - k * exp(-r * t) * normalCDF(d2)
}

/// Solves price(σ) = target for σ by Newton's method, with vega from forward mode.
func impliedVolatility(
  price target: Double, spot: Double, strike: Double, years: Double, rate: Double
) -> (sigma: Double, iterations: Int) {
  var sigma = 0.5
  for iteration in 1...50 {
    let (price, vega) = valueWithDerivative(at: sigma) { v in
      callPrice(spot: spot, strike: strike, years: years, rate: rate, volatility: v)
    }
    let step = (price - target) / vega
    sigma -= step
    if Swift.abs(step) < 1e-14 * sigma { return (sigma, iteration) }
  }
  return (sigma, 50)
}

func main() {
  let spot = 100.0, strike = 110.0, years = 0.75, rate = 0.03, trueSigma = 0.27
  let target = callPrice(spot: spot, strike: strike, years: years, rate: rate, volatility: trueSigma)
  print("call price at σ = \(trueSigma): \(target)")

  let (sigma, iterations) = impliedVolatility(price: target, spot: spot, strike: strike, years: years, rate: rate)
  print("implied volatility: \(sigma) after \(iterations) Newton steps (error \(sigma - trueSigma))")

  // Second-order sensitivity: vomma = ∂²price/∂σ², by nesting.
  let vomma = derivative(at: sigma) { v in
    derivative(at: v) { w in callPrice(spot: spot, strike: strike, years: years, rate: rate, volatility: w) }
  }
  print("vomma (∂²price/∂σ²): \(vomma)")
}

main()
