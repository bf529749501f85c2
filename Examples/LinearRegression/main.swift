// Linear regression by gradient descent on Tensor: y = X·w + b fitted to
// y = 2x with mean squared error. Prints the loss as it trains.
import Leibniz

func train() {
  let X: Tensor<Double> = [[1], [2], [3]]
  let y: Tensor<Double> = [[2], [4], [6]]
  var w = Tensor<Double>.zeros([1, 1], requiresGrad: true)
  var b = Tensor<Double>.zeros([1, 1], requiresGrad: true)
  let learningRate: Tensor<Double> = 0.01

  for epoch in 1...10_000 {
    let prediction = matmul(X, w) + b          // b broadcasts over the rows
    let error = prediction - y
    let loss = (error * error).mean()
    loss.backward()
    // Update the parameters without recording, then reset the gradients.
    withoutGradients {
      w -= learningRate * w.grad!
      b -= learningRate * b.grad!
    }
    w.zeroGrad()
    b.zeroGrad()
    if epoch <= 5 || epoch == 100 || epoch % 2000 == 0 {
      print("epoch \(epoch): loss \(loss.scalar)   w \(w.scalar)   b \(b.scalar)")
    }
  }
  print("final: w = \(w.scalar), b = \(b.scalar)   (after 100 epochs: w ≈ 1.745077, b ≈ 0.579465)")
}

train()
