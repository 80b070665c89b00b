import torch

# Exercise: the temperatures of 3 cities over 4 days, in Celsius.
celsius = torch.tensor(
    [
        [12.0, 14.5, 13.0, 15.5],
        [25.0, 27.0, 26.5, 24.0],
        [-3.0, -1.0, 0.5, 2.0],
    ]
)

# 1. Convert every value to Fahrenheit (F = C * 9 / 5 + 32).
fahrenheit = celsius * 9 / 5 + 32
print(fahrenheit)

# 2. The mean temperature of each city (one number per row).
print("mean per city:", celsius.mean(dim=1))

# 3. Subtract each city's mean from its own row, using broadcasting.
centred = celsius - celsius.mean(dim=1, keepdim=True)
print("shape of the row means:", tuple(celsius.mean(dim=1, keepdim=True).shape))
print(centred)

# Without keepdim=True the means have shape (3,), which lines up with the columns.
print("shape without keepdim:", tuple(celsius.mean(dim=1).shape))
try:
    celsius - celsius.mean(dim=1)
except RuntimeError as error:
    print("without keepdim:", error)

# 4. How many readings were below freezing?
print("below 0 C:", (celsius < 0).sum().item())
