import Leibniz
