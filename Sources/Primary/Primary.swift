import Fabric
